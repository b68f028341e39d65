/**
 * Characters that make a spreadsheet read a cell as a formula (or, for tab and carriage return,
 * let one smuggle a formula past the first character): OWASP's "CSV injection" list.
 */
const FORMULA_START = /^[=+\-@\t\r]/u;

/**
 * A text cell as a spreadsheet will show it and never execute it: one that starts like a formula
 * gets a leading apostrophe, which spreadsheets take as "text" and hide. Numbers are written as
 * numbers and never pass through here, so a negative mastery change stays a number.
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
