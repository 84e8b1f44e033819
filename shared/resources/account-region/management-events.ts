import type { AdvancedEventSelector, EventSelector } from "@aws-sdk/client-cloudtrail";
import type { ManagementEvents } from "./state";

/** Which halves of the management events one selector (or a trail's selectors together) records. */
interface Coverage {
  read: boolean;
  write: boolean;
  /** A selector this reading can't interpret: no verdict is drawn from the trail's selectors. */
  unclear: boolean;
}

const NONE: Coverage = { read: false, write: false, unclear: false };

/** Basic selectors: `IncludeManagementEvents` defaults to true, `ReadWriteType` to `All`. */
function basic(selector: EventSelector): Coverage {
  if (selector.IncludeManagementEvents === false) return NONE;
  const type = selector.ReadWriteType ?? "All";
  if (type === "All") return { read: true, write: true, unclear: false };
  if (type === "ReadOnly") return { read: true, write: false, unclear: false };
  if (type === "WriteOnly") return { read: false, write: true, unclear: false };
  return { ...NONE, unclear: true };
}

/**
 * Advanced selectors: a selector with `eventCategory` = `Management` records management events;
 * a `readOnly` field narrows it to reads (`true`) or writes (`false`). Management selectors only
 * take `eventCategory`, `readOnly` and `eventSource` (NotEquals, to leave out KMS or RDS Data API
 * noise, which still counts as logging management events); anything else is left unclear.
 */
function advanced(selector: AdvancedEventSelector): Coverage {
  const fields = selector.FieldSelectors ?? [];
  const category = fields.find((f) => f.Field === "eventCategory");
  if (!category?.Equals?.includes("Management")) return NONE;
  let read = true;
  let write = true;
  for (const field of fields) {
    if (field.Field === "eventCategory") continue;
    if (field.Field === "eventSource" && !field.Equals?.length && !field.StartsWith?.length) continue;
    if (field.Field !== "readOnly") return { ...NONE, unclear: true };
    const equals = field.Equals ?? [];
    const notEquals = field.NotEquals ?? [];
    if (
      field.StartsWith?.length ||
      field.EndsWith?.length ||
      field.NotStartsWith?.length ||
      field.NotEndsWith?.length
    )
      return { ...NONE, unclear: true };
    read = read && (equals.length ? equals.includes("true") : true) && !notEquals.includes("true");
    write = write && (equals.length ? equals.includes("false") : true) && !notEquals.includes("false");
  }
  return { read, write, unclear: false };
}

/** What GetEventSelectors' answer says about management events, all selectors together. */
export function managementEventsOf(
  eventSelectors: readonly EventSelector[] | undefined,
  advancedSelectors: readonly AdvancedEventSelector[] | undefined,
): ManagementEvents {
  const coverages = [...(eventSelectors ?? []).map(basic), ...(advancedSelectors ?? []).map(advanced)];
  const read = coverages.some((c) => c.read);
  const write = coverages.some((c) => c.write);
  if (read && write) return "all";
  // A selector we can't read might record the missing half: say so rather than fail the trail.
  if (coverages.some((c) => c.unclear)) return "unknown";
  if (read) return "read-only";
  if (write) return "write-only";
  return "none";
}
