// A new account's name, as the core takes it: 2 to 40 letters, digits, dots, underscores
// or dashes (set-up's administrator, and everyone an administrator adds).

const USERNAME = /^[A-Za-z0-9._-]{2,40}$/;

/** Whether a new account may have this name (spaces around it do not count). */
export function validUsername(name: string): boolean {
  return USERNAME.test(name.trim());
}
