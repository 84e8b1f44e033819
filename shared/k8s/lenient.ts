import { z } from "zod";

/**
 * A field that is present but of the wrong shape. Kept apart from "unset" because the restricted
 * profile requires some fields (runAsNonRoot, allowPrivilegeEscalation, seccomp, capabilities.drop):
 * an unset one is a violation, an unreadable one is not judged (never a false violation).
 */
export const UNREADABLE = Symbol("unreadable");
export type Field<T> = T | undefined | typeof UNREADABLE;

/** A zod schema for one field: undefined when absent or null, UNREADABLE when of another shape. */
export function field<T>(schema: z.ZodType<T>) {
  return z
    .unknown()
    .transform((value): Field<T> => {
      if (value === undefined || value === null) return undefined;
      const parsed = schema.safeParse(value);
      return parsed.success ? parsed.data : UNREADABLE;
    })
    .optional();
}

/** A nested field through a parent that may itself be unset or unreadable. */
export function inner<P extends object, T>(parent: Field<P>, pick: (parent: P) => Field<T>): Field<T> {
  if (parent === undefined || parent === UNREADABLE) return parent;
  return pick(parent);
}

/** The elements of a list field, each parsed on its own so one bad element does not hide the others. */
export function elements<T>(list: Field<unknown[]>, schema: z.ZodType<T>): Field<T>[] {
  if (list === undefined || list === UNREADABLE) return [];
  return list.map((item) => {
    const parsed = schema.safeParse(item);
    return parsed.success ? parsed.data : UNREADABLE;
  });
}

/** A list field's string elements, or UNREADABLE when any element is not a string. */
export function strings(list: Field<unknown[]>): Field<string[]> {
  if (list === undefined || list === UNREADABLE) return list;
  return list.every((item): item is string => typeof item === "string") ? list : UNREADABLE;
}

const MAX_STRING = 100;
const MAX_ITEMS = 20;

/** A found value kept small for findings: long strings cut, long lists cut. */
export function small(value: unknown): unknown {
  if (value === undefined || value === UNREADABLE) return null;
  if (typeof value === "string") return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map(small);
  return value;
}
