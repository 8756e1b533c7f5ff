/**
 * Passwords attackers try first: the ~49,000 most common leaked passwords shipped with zxcvbn-ts
 * (`@zxcvbn-ts/language-common`, decompressed once at start, a few ms). Compared case-insensitively,
 * so `Password1` is as refused as `password1`.
 */
import { dictionary } from '@zxcvbn-ts/language-common';

let common: Set<string> | null = null;

export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common.has(password.toLowerCase());
}
