#!/usr/bin/env node
// A fresh Ed25519 key pair for signed actors (ADR 0017), as environment lines: the gateway gets both,
// every other service ACTOR_VERIFY_KEY. For docker compose's .env, or a release's secrets.env.
//
//   node scripts/actor-keys.mjs >> .env
import { generateKeyPairSync } from 'node:crypto';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
console.log(`ACTOR_SIGNING_KEY=${privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`);
console.log(`ACTOR_VERIFY_KEY=${publicKey.export({ format: 'der', type: 'spki' }).toString('base64')}`);
