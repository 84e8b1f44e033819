import {
  CreateDetectorCommand,
  GuardDutyClient,
  TagResourceCommand,
  UpdateDetectorCommand,
} from "@aws-sdk/client-guardduty";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checks } from "../../../shared/checks/catalog";
import { parseConfig } from "../../../shared/config/load";
import { cloudTrailDetailSchema } from "../../../shared/events/cloudtrail";
import { runChecks } from "../../../shared/pipeline/evaluate";
import type { Observation, ReadClients } from "../../../shared/resources/adapter";
import adapter from "../../../shared/resources/guardduty-detector/adapter";
import type { CollectContext } from "../../../shared/sweep/collector";
import collector, { guardDutyDetectorsCollector } from "../../../shared/sweep/collectors/guardduty-detectors";
import { collectors } from "../../../shared/sweep/collectors/index";
import { loadEvent } from "../../support/events";
import { GUARDDUTY_ACCOUNT, type GuardDutyDouble } from "../../support/local-aws/guardduty";
import { startLocalAws, type LocalAws } from "../../support/local-aws/server";
import { recordingLogger } from "../../support/runtime";

const ACCOUNT = GUARDDUTY_ACCOUNT;
const NOW = new Date("2025-03-20T09:00:00.000Z");
const config = parseConfig({});

type DetectorObservation = Observation<"AWS::GuardDuty::Detector">;

function decided(observation: Observation): Record<string, unknown[]> {
  return Object.fromEntries(
    runChecks(observation, checks, { config })
      .filter((r) => !r.undecided)
      .map((r) => [r.check.id, r.violations]),
  );
}

describe("sweep collector: GuardDuty detectors", () => {
  let aws: LocalAws;
  let double: GuardDutyDouble;
  const clientsByRegion = new Map<string, GuardDutyClient>();
  const client = (region: string) => {
    let found = clientsByRegion.get(region);
    if (!found) {
      found = new GuardDutyClient({
        endpoint: aws.endpoint,
        region,
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        maxAttempts: 1,
      });
      clientsByRegion.set(region, found);
    }
    return found;
  };
  const contextIn = (region: string): CollectContext => ({
    clients: new Proxy({} as ReadClients, {
      get: (_t, name) =>
        name === "guardDuty"
          ? () => client(region)
          : () => {
              throw new Error(`the GuardDuty collector asked for the ${String(name)} client`);
            },
    }),
    account: ACCOUNT,
    region,
    partition: "aws",
    config,
    now: NOW,
    logger: recordingLogger(),
  });
  async function collect(region: string, c = collector): Promise<DetectorObservation[]> {
    const found: DetectorObservation[] = [];
    for await (const o of c.collect(contextIn(region))) found.push(o);
    return found;
  }
  let eastId = "";
  let westId = "";

  beforeAll(async () => {
    aws = await startLocalAws();
    double = aws.double<GuardDutyDouble>("guardduty");
    eastId = (await client("us-east-1").send(new CreateDetectorCommand({ Enable: true }))).DetectorId ?? "";
    westId = (await client("us-west-2").send(new CreateDetectorCommand({ Enable: true }))).DetectorId ?? "";
    await client("us-west-2").send(
      new TagResourceCommand({
        ResourceArn: `arn:aws:guardduty:us-west-2:${ACCOUNT}:detector/${westId}`,
        Tags: { "vigil:exempt": "VIGIL.GUARDDUTY.DISABLED" },
      }),
    );
  });
  afterAll(async () => {
    for (const c of clientsByRegion.values()) c.destroy();
    await aws.close();
  });

  it("is registered, regional, and declares exactly the reads it makes", async () => {
    expect(collectors).toContain(collector);
    expect(collector).toMatchObject({ resourceType: "AWS::GuardDuty::Detector", scope: "regional" });
    const from = aws.requests.length;
    await collect("us-east-1");
    const made = new Set(aws.requests.slice(from).map((r) => `guardduty:${r.action}`));
    expect([...made].sort()).toEqual([...collector.iamActions].sort());
  });

  it("the Region's detector, stated as the event path does, with the tags GetDetector answers", async () => {
    expect(await collect("us-west-2")).toEqual([
      {
        resource: {
          type: "AWS::GuardDuty::Detector",
          id: westId,
          arn: `arn:aws:guardduty:us-west-2:${ACCOUNT}:detector/${westId}`,
          account: ACCOUNT,
          region: "us-west-2",
        },
        state: {
          detectorId: westId,
          detectorArn: `arn:aws:guardduty:us-west-2:${ACCOUNT}:detector/${westId}`,
          region: "us-west-2",
          enabled: true,
          tags: { "vigil:exempt": "VIGIL.GUARDDUTY.DISABLED" },
        },
        complete: true,
        observedAt: NOW.toISOString(),
        tagsKnown: true,
      },
    ]);
  });

  it("an enabled detector violates nothing; protection plans are not stated (off by default is not turned off)", async () => {
    const [east] = await collect("us-east-1");
    if (!east) throw new Error("no detector");
    expect(east.state?.protections).toBeUndefined();
    expect(decided(east)).toEqual({ "VIGIL.GUARDDUTY.DISABLED": [] });
  });

  it("same violations as the event path: a suspended detector", async () => {
    await client("us-east-1").send(new UpdateDetectorCommand({ DetectorId: eastId, Enable: false }));
    const event = loadEvent("guardduty/UpdateDetector-disable.json") as unknown as {
      detail: { requestParameters: Record<string, unknown> };
    };
    event.detail.requestParameters.detectorId = eastId;
    const [fromEvent] = adapter.fromCloudTrail(cloudTrailDetailSchema.parse(event.detail), ACCOUNT);
    const [swept] = await collect("us-east-1");
    if (!fromEvent || !swept) throw new Error("observation missing");
    expect(swept.resource).toEqual(fromEvent.resource);
    const id = "VIGIL.GUARDDUTY.DISABLED";
    expect(decided(swept)[id]).toEqual(decided(fromEvent)[id]);
    expect(decided(swept)[id]).toHaveLength(1);
    await client("us-east-1").send(new UpdateDetectorCommand({ DetectorId: eastId, Enable: true }));
  });

  it("pages with the SDK paginator; a detector gone between the listing and GetDetector is skipped", async () => {
    double.extraIds.set("us-east-1", ["0e4f2a6c8b1d3e5f7a9c0b2d4e6f8a1c"]);
    const from = aws.requests.length;
    const found = await collect("us-east-1", guardDutyDetectorsCollector(1));
    double.extraIds.delete("us-east-1");
    expect(found.map((o) => o.resource.id)).toEqual([eastId]);
    expect(aws.requests.slice(from).map((r) => r.action)).toEqual([
      "ListDetectors",
      "GetDetector",
      "ListDetectors",
      "GetDetector",
    ]);
  });

  it("a Region with no detector yields nothing (the state can't say 'GuardDuty off here')", async () => {
    expect(await collect("eu-west-1")).toEqual([]);
  });
});
