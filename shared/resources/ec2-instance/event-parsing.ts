import { z } from "zod";
import { UnusableEventError } from "../adapter";

/** EC2's classic lists are `{ items: [...] }`, `{}` when empty, and occasionally `{ item: [...] }`. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => {
    if (Array.isArray(value)) return value;
    const record = (value ?? {}) as { items?: unknown; item?: unknown };
    const list = record.items ?? record.item ?? [];
    return Array.isArray(list) ? list : [list];
  }, z.array(item));
}

/** CloudTrail and Config log booleans as booleans; tolerate `"true"`/`"false"`. */
export const flag = z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean());

export const instanceIdSchema = z.string().regex(/^i-[0-9a-f]{8,17}$/, "not an EC2 instance id");

export function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new UnusableEventError(`${what}: ${z.prettifyError(result.error).replace(/\n/g, "; ")}`);
  return result.data;
}
