import { Anchor, Button, type AnchorProps, type ButtonProps } from '@mantine/core';
import { createLink, type LinkComponent } from '@tanstack/react-router';
import { forwardRef, type AnchorHTMLAttributes } from 'react';

/**
 * Mantine's Anchor and Button as router links, with typed `to` and `params` (Mantine's
 * `component={Link}` loses the router's types). Use these for every in-portal link.
 */
type AnchorBase = AnchorProps & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'color' | 'style'>;
const AnchorBaseLink = forwardRef<HTMLAnchorElement, AnchorBase>((props, ref) => <Anchor ref={ref} {...props} />);
AnchorBaseLink.displayName = 'AnchorBaseLink';
const CreatedAnchorLink = createLink(AnchorBaseLink);
export const AnchorLink: LinkComponent<typeof AnchorBaseLink> = (props) => <CreatedAnchorLink {...props} />;

type ButtonBase = ButtonProps & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'color' | 'style'>;
const ButtonBaseLink = forwardRef<HTMLAnchorElement, ButtonBase>((props, ref) => (
  <Button component="a" ref={ref} {...props} />
));
ButtonBaseLink.displayName = 'ButtonBaseLink';
const CreatedButtonLink = createLink(ButtonBaseLink);
export const ButtonLink: LinkComponent<typeof ButtonBaseLink> = (props) => <CreatedButtonLink {...props} />;
