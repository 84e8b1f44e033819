import { z } from "zod";
import { PRINCIPAL_TYPES } from "./types";

/**
 * The raw policy grammar as AWS accepts it, loosely: unknown top-level and statement members are tolerated
 * (they change nothing we evaluate), but every member we evaluate must have a shape AWS allows.
 */

const stringOrList = z.union([z.string(), z.array(z.string())]);

const principalTypesLower = new Set<string>(PRINCIPAL_TYPES.map((type) => type.toLowerCase()));

/** `"*"` or `{AWS|Service|Federated|CanonicalUser: string | string[]}`. */
const principalSchema = z.union([
  z.literal("*"),
  z.record(z.string(), stringOrList).superRefine((map, ctx) => {
    for (const key of Object.keys(map)) {
      if (!principalTypesLower.has(key.toLowerCase())) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `unknown principal type (${PRINCIPAL_TYPES.join(", ")})`,
        });
      }
    }
  }),
]);

const conditionScalar = z.union([z.string(), z.number(), z.boolean()]);
/** `operator -> key -> value | values`. */
const conditionSchema = z.record(
  z.string(),
  z.record(z.string(), z.union([conditionScalar, z.array(conditionScalar)])),
);

/** One statement as written. */
export const rawStatementSchema = z
  .looseObject({
    Sid: z.union([z.string(), z.number()]).optional(),
    Effect: z.string().refine((effect) => /^(allow|deny)$/i.test(effect), "must be Allow or Deny"),
    Action: stringOrList.optional(),
    NotAction: stringOrList.optional(),
    Resource: stringOrList.optional(),
    NotResource: stringOrList.optional(),
    Principal: principalSchema.optional(),
    NotPrincipal: principalSchema.optional(),
    Condition: conditionSchema.optional(),
  })
  .superRefine((statement, ctx) => {
    const pairs = [
      ["Action", "NotAction"],
      ["Resource", "NotResource"],
      ["Principal", "NotPrincipal"],
    ] as const;
    for (const [plain, negated] of pairs) {
      if (statement[plain] !== undefined && statement[negated] !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [negated],
          message: `a statement has ${plain} or ${negated}, not both`,
        });
      }
    }
    if (statement.Action === undefined && statement.NotAction === undefined) {
      ctx.addIssue({ code: "custom", path: ["Action"], message: "a statement needs Action or NotAction" });
    }
  });
/** A statement as written, after validation. */
export type RawStatement = z.infer<typeof rawStatementSchema>;

/** A whole document as written. */
export const rawDocumentSchema = z.looseObject({
  Version: z.string().optional(),
  Id: z.string().optional(),
  // A single statement object is read as a one-item list (a union would hide which member was wrong).
  Statement: z.preprocess(
    (value) => (Array.isArray(value) || value === undefined ? value : [value]),
    z.array(rawStatementSchema),
  ),
});
/** A document as written, after validation. */
export type RawDocument = z.infer<typeof rawDocumentSchema>;
