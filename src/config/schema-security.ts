// A neighbor's transport protection keys: `password` (TCP-MD5, RFC 2385) and `ttl-security` (GTSM,
// RFC 5082). The password is written inline or, to keep the secret out of the config file, as a
// reference read at load time (secrets.ts checks it and says where it went wrong).

import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { int } from './schema-values.js';

/** `password: TEXT`, `password: {file: /ABSOLUTE/PATH}` or `password: {env: VARIABLE}`. */
export const passwordSchema = z.union([
  z.string(),
  z.strictObject({
    // Absolute: a reload through the API has no config file whose directory it could be relative to.
    file: z.string().refine(isAbsolute, { message: 'the password file must be an absolute path' }),
  }),
  z.strictObject({
    env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
      message: 'an environment variable name is letters, digits and "_"',
    }),
  }),
]);

export type PasswordConfig = z.output<typeof passwordSchema>;

/** RFC 5082 §3: hops 1 is a directly connected peer (TTL 255 required); 254 the most allowed. */
export const ttlSecuritySchema = z.strictObject({ hops: int(1, 254) });
