import { describe, expect, it, vi } from "vitest";
import type { Alert, Notifier } from "../../shared/notifiers/alert";
import { onFirstAlert } from "../../shared/notifiers/on-first-alert";
import { sgAlert } from "./fixtures";

function recording(): Notifier & { sent: Alert[] } {
  const sent: Alert[] = [];
  return { name: "inner", sent, send: async (alert) => void sent.push(alert) };
}

describe("onFirstAlert", () => {
  it("builds the notifier on the first alert, once, and keeps its own name", async () => {
    const inner = recording();
    const create = vi.fn(async () => inner);
    const notifier = onFirstAlert("sns", create);
    expect(notifier.name).toBe("sns");
    expect(create).not.toHaveBeenCalled();

    const alert = sgAlert();
    await Promise.all([notifier.send(alert), notifier.send(alert)]);
    await notifier.send(alert);
    expect(create).toHaveBeenCalledTimes(1);
    expect(inner.sent).toEqual([alert, alert, alert]);
  });

  it("fails the send when the notifier cannot be built, and builds it again on the next one", async () => {
    const inner = recording();
    const create = vi
      .fn<() => Promise<Notifier>>()
      .mockRejectedValueOnce(new Error("chunk failed to load"))
      .mockResolvedValueOnce(inner);
    const notifier = onFirstAlert("slack", create);

    await expect(notifier.send(sgAlert())).rejects.toThrow("chunk failed to load");
    await notifier.send(sgAlert());
    expect(inner.sent).toHaveLength(1);
    expect(create).toHaveBeenCalledTimes(2);
  });
});
