import { z } from "zod";
import { UnusableEventError } from "../adapter";

/** CloudTrail and Config log booleans as booleans; tolerate `"true"`/`"false"`. */
export const flagSchema = z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean());

/**
 * Parses one part of an ECR event (request, response, Config configuration, service-event detail).
 * A bad shape is an UnusableEventError naming the part and the fields at fault, on one line.
 */
export function parseEventPart<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new UnusableEventError(`${what}: ${z.prettifyError(result.error).replace(/\n/g, "; ")}`);
  return result.data;
}
