/**
 * `{ ...base, ...changes }`, same keys in the same order, built with `Object.assign`. V8 copies an
 * object literal's spread quickly but then defines each property written after it through a slow
 * path: `{ ...statement, id, stored, authority, ... }` cost about 2.5 µs per statement on Node 20,
 * ten times the `Object.assign` (measured on the simulator's statements, 2026-11-29). Used where
 * every stored statement passes.
 */
export function withProps<T extends object>(base: T, changes: Partial<T>): T {
  return Object.assign({}, base, changes);
}
