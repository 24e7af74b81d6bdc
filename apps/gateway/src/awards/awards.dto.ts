import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import {
  AwardsOverview,
  CandidatePage,
  CertificateCheck,
  Category,
  CategoryInput,
  CategoryPatch,
  CategoryState,
  DecisionInput,
  Nomination,
  NominationInput,
  Page,
  PublicWinners,
  Rpc,
  RpcSchemas,
  Uuid,
} from '@dg/contracts';

/**
 * HTTP shapes of the awards routes: the contract's schemas (so HTTP and NATS check the same
 * thing), less what the path carries (cycle id, category id), with `version` optional where it may
 * come as `If-Match` instead.
 */

const OptionalVersion = z
  .number()
  .int()
  .min(1)
  .optional()
  .describe('The version last read; may instead be sent as `If-Match`');

/** A partial change of a category: only the fields sent (the contract's patch has no defaults). */
export const CategoryPatchBody = CategoryPatch.extend({ version: OptionalVersion });

export const CategoryList = RpcSchemas[Rpc.AwardCategoryList].response;

export class CategoryInputDto extends createZodDto(CategoryInput) {}
export class CategoryPatchDto extends createZodDto(CategoryPatchBody) {}

/**
 * The body of `POST /award-categories/:id/decisions`, one of four by `type`. `createZodDto` types
 * its instances as the schema's output and a class cannot extend a union, so the base is retyped
 * as a plain object: the statics nestjs-zod reads (`isZodDto`, `schema`, the OpenAPI factory) are
 * inherited at runtime all the same, so the global ZodValidationPipe validates the body with
 * `DecisionInput`. Read it as a `DecisionInput` with {@link decisionOf}.
 */
export class DecisionDto extends (createZodDto(DecisionInput) as unknown as new () => object) {}

/** The validated body of the decisions route, typed as what it is. */
export const decisionOf = (body: DecisionDto): DecisionInput => body as DecisionInput;

export class CategoryDto extends createZodDto(Category) {}
export class NominationInputDto extends createZodDto(NominationInput) {}
export class NominationDto extends createZodDto(Nomination) {}
export class CategoryListDto extends createZodDto(CategoryList) {}
export class CategoryStateDto extends createZodDto(CategoryState) {}
export class AwardsOverviewDto extends createZodDto(AwardsOverview) {}
export class PublicWinnersDto extends createZodDto(PublicWinners) {}

/** `GET /award-categories/:id/candidates`: a page, and optionally one agency. */
export const CandidateListQuery = Page.extend({
  agencyId: Uuid.optional().describe('Only this agency’s row (agency people always get only their own)'),
});
export class CandidateListQueryDto extends createZodDto(CandidateListQuery) {}
export class CandidatePageDto extends createZodDto(CandidatePage) {}
export class CertificateCheckDto extends createZodDto(CertificateCheck) {}

