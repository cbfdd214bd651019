import { z } from 'zod';
import { timestamp, uuid } from './formats.js';

/** What the sign-in page offers: the provider buttons, and whether the password form shows. */
export const signInMethodsSchema = z
  .object({
    passwordSignIn: z.boolean(),
    providers: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        /** Navigate the browser here (a full page load, not a fetch) to sign in. */
        startUrl: z.string(),
      }),
    ),
  })
  .meta({ id: 'SignInMethods' });
export type SignInMethods = z.infer<typeof signInMethodsSchema>;

export const linkedProviderSchema = z
  .object({
    id: uuid(),
    provider: z.string(),
    label: z.string(),
    email: z.string().nullable(),
    createdAt: timestamp(),
    lastUsedAt: timestamp(),
  })
  .meta({ id: 'LinkedProvider' });
export type LinkedProvider = z.infer<typeof linkedProviderSchema>;

export const providerRedirectSchema = z
  .object({
    url: z.url().describe("The provider's authorization URL; navigate the browser to it."),
  })
  .meta({ id: 'ProviderRedirect' });
export type ProviderRedirect = z.infer<typeof providerRedirectSchema>;
