/**
 * Freezes an object and everything it holds. The loaded configuration is shared by every part of a
 * running gateway; one part changing it (as the demo once set `upstream`) would change it under the
 * others. Whoever needs another configuration derives a new object, and a mutation throws (in strict
 * mode, which TypeScript's output uses).
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
