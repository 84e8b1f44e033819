import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConsoleNotifier } from "../../shared/notifiers/console";
import { alertText } from "../../shared/notifiers/format";
import { sgAlert } from "./fixtures";

describe("ConsoleNotifier", () => {
  it("prints the alert text to the given stream", async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on("data", (chunk: Buffer) => chunks.push(chunk.toString("utf8")));
    const notifier = new ConsoleNotifier(out);
    expect(notifier.name).toBe("console");

    await notifier.send(sgAlert());
    const printed = chunks.join("");
    expect(printed).toContain(alertText(sgAlert()));
    expect(printed).toContain("npm run vigil -- undo vf-63cf164a2359498e5aa04e6a");
  });

  it("fails when the stream does", async () => {
    const broken = new Writable({ write: (_chunk, _encoding, callback) => callback(new Error("EPIPE")) });
    broken.on("error", () => undefined);
    await expect(new ConsoleNotifier(broken).send(sgAlert())).rejects.toThrow("EPIPE");
  });
});
