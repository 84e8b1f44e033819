import { DescribeFileSystemsCommand } from "@aws-sdk/client-efs";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { FILE_SYSTEM, efsEvent, idFor, statuses } from "./support";

const described = (t: TestRuntime, encrypted: boolean, tags = [{ Key: "Name", Value: "media-scratch" }]) =>
  t.efs.on(DescribeFileSystemsCommand).resolves({
    FileSystems: [
      {
        FileSystemId: FILE_SYSTEM.id,
        FileSystemArn: FILE_SYSTEM.arn,
        OwnerId: "111122223333",
        CreationToken: "media-scratch-2025-03-18",
        CreationTime: new Date("2025-03-18T16:05:21Z"),
        LifeCycleState: "available",
        NumberOfMountTargets: 0,
        SizeInBytes: { Value: 6144 },
        PerformanceMode: "generalPurpose",
        Encrypted: encrypted,
        Tags: tags,
      },
    ],
  });
const reads = (t: TestRuntime) => t.efs.commandCalls(DescribeFileSystemsCommand).map((c) => c.args[0].input);

describe("EFS.1 / EFS.8 file-system encryption through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("non-compliant: an unencrypted CreateFileSystem opens EFS.1 and EFS.8, one alert, one tag read", async () => {
    t = await testRuntime();
    described(t, false);
    const report = await processEvent(efsEvent("CreateFileSystem-unencrypted"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(reads(t)).toEqual([{ FileSystemId: FILE_SYSTEM.id }]);
    expect(await statuses(t)).toEqual([
      ["EFS.1", "OPEN"],
      ["EFS.8", "OPEN"],
    ]);
    expect(await t.runtime.store.get(idFor("EFS.1", FILE_SYSTEM.id))).toMatchObject({
      severity: "MEDIUM",
      controls: ["FSBP EFS.1", "CIS 2.4.1"],
      resource: { type: "AWS::EFS::FileSystem", id: FILE_SYSTEM.id, arn: FILE_SYSTEM.arn },
      evidence: [{ fileSystemId: FILE_SYSTEM.id, fileSystemArn: FILE_SYSTEM.arn, encrypted: false }],
    });
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("compliant: an encrypted file system opens nothing and reads nothing", async () => {
    t = await testRuntime();
    await processEvent(efsEvent("CreateFileSystem-encrypted"), t.runtime);
    expect(await statuses(t)).toEqual([]);
    expect(t.efs.calls()).toHaveLength(0);
  });

  it("DeleteFileSystem resolves both findings", async () => {
    t = await testRuntime();
    described(t, false);
    await processEvent(efsEvent("CreateFileSystem-unencrypted"), t.runtime);
    await processEvent(efsEvent("DeleteFileSystem"), t.runtime);
    expect(await statuses(t)).toEqual([
      ["EFS.1", "RESOLVED"],
      ["EFS.8", "RESOLVED"],
    ]);
  });

  it("a Config item opens both findings on the same resource, with its own tags (no read)", async () => {
    t = await testRuntime();
    await processEvent(efsEvent("config-item-file-system-unencrypted"), t.runtime);
    expect(await statuses(t)).toEqual([
      ["EFS.1", "OPEN"],
      ["EFS.8", "OPEN"],
    ]);
    expect(t.efs.calls()).toHaveLength(0);
  });

  it("an answer that doesn't say is read live; the read's tags serve the exemptions", async () => {
    t = await testRuntime();
    described(t, false, [{ Key: "vigil:exempt", Value: "EFS.8" }]);
    const event = efsEvent("CreateFileSystem-unencrypted");
    delete (event.detail.responseElements as Record<string, unknown>).encrypted;
    delete (event.detail.requestParameters as Record<string, unknown>).encrypted;
    await processEvent(event, t.runtime);
    expect(reads(t)).toHaveLength(1);
    expect(await statuses(t)).toEqual([
      ["EFS.1", "OPEN"],
      ["EFS.8", "SUPPRESSED"],
    ]);
  });

  it.each([
    [
      "a file-system id that is none",
      (d: Record<string, unknown>) => (d.requestParameters = { fileSystemId: "media" }),
    ],
    ["no requestParameters", (d: Record<string, unknown>) => (d.requestParameters = null)],
  ])("malformed DeleteFileSystem (%s) is invalid and changes nothing", async (_, change) => {
    t = await testRuntime();
    const event = efsEvent("DeleteFileSystem");
    change(event.detail);
    expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
    expect(await statuses(t)).toEqual([]);
  });

  it("malformed CreateFileSystem (no answer) is invalid", async () => {
    t = await testRuntime();
    const event = efsEvent("CreateFileSystem-unencrypted");
    event.detail.responseElements = null;
    expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
    expect(t.efs.calls()).toHaveLength(0);
  });
});
