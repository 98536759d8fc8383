/**
 * NIST 800-63B asks verifiers to refuse passwords found in breach corpora. This is the head of the
 * most-used lists (8+ characters, since shorter ones are refused anyway), compared case-insensitively.
 */
const COMMON_PASSWORDS = new Set([
  "12345678", "123456789", "1234567890", "12345678910", "password", "password1", "password12",
  "password123", "password1234", "passw0rd", "p@ssw0rd", "p@ssword", "qwertyuiop", "qwerty123",
  "qwerty1234", "qwertyui", "1q2w3e4r", "1q2w3e4r5t", "1qaz2wsx", "zaq12wsx", "iloveyou", "iloveyou1",
  "sunshine", "princess", "football", "baseball", "welcome1", "welcome123", "abc12345", "abcd1234",
  "11111111", "00000000", "88888888", "87654321", "66666666", "12341234", "11223344", "123123123",
  "123321123", "trustno1", "superman", "starwars", "whatever", "computer", "michelle", "jennifer",
  "corvette", "mercedes", "mustang1", "internet", "letmein1", "letmein123", "administrator", "admin123",
  "admin1234", "changeme", "changeme123", "secret123", "asdfghjkl", "asdfasdf", "zxcvbnm1", "zxcvbnm123",
  "q1w2e3r4", "q1w2e3r4t5", "a1b2c3d4", "aa123456", "qazwsxedc", "1qazxsw2", "monkey123", "dragon123",
  "master123", "shadow123", "samsung1", "samsung123", "football1", "baseball1", "jordan23", "liverpool",
  "chelsea1", "arsenal1", "pokemon1", "minecraft", "fuckyou1", "loveyou1", "babygirl", "iloveu123",
  "qwer1234", "1234qwer", "asdf1234", "1234asdf", "test1234", "testtest", "qwerty12", "google123",
  "hello123", "welcome", "passpass", "password!", "batman123", "hunter22", "starwars1", "princess1",
]);

export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.toLowerCase());
}
