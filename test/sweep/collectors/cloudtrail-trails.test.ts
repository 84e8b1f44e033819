import {
  CloudTrailClient,
  CreateTrailCommand,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  UpdateTrailCommand,
} from "@aws-sdk/client-cloudtrail";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checks } from "../../../shared/checks/catalog";
import { parseConfig } from "../../../shared/config/load";
import { cloudTrailDetailSchema } from "../../../shared/events/cloudtrail";
import { runChecks } from "../../../shared/pipeline/evaluate";
import type { Observation, ReadClients } from "../../../shared/resources/adapter";
import adapter from "../../../shared/resources/cloudtrail-trail/adapter";
import type { CollectContext } from "../../../shared/sweep/collector";
import collector from "../../../shared/sweep/collectors/cloudtrail-trails";
import { collectors } from "../../../shared/sweep/collectors/index";
import { loadEvent } from "../../support/events";
import { CLOUDTRAIL_ACCOUNT } from "../../support/local-aws/cloudtrail";
import { startLocalAws, type LocalAws } from "../../support/local-aws/server";
import { recordingLogger } from "../../support/runtime";

const ACCOUNT = CLOUDTRAIL_ACCOUNT;
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/2b7e4c91-5d3a-4f86-9a1c-7e0b3d5f8a24`;
const NOW = new Date("2025-03-20T09:00:00.000Z");
const config = parseConfig({});
const arnOf = (name: string, region = "us-east-1") => `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${name}`;

type TrailObservation = Observation<"AWS::CloudTrail::Trail">;

/** The catalog's decided verdicts on one observation, by check id (undecided checks left out). */
function decided(observation: Observation): Record<string, unknown[]> {
  return Object.fromEntries(
    runChecks(observation, checks, { config })
      .filter((r) => !r.undecided)
      .map((r) => [r.check.id, r.violations]),
  );
}

describe("sweep collector: CloudTrail trails", () => {
  let aws: LocalAws;
  const clientsByRegion = new Map<string, CloudTrailClient>();
  const client = (region: string) => {
    let found = clientsByRegion.get(region);
    if (!found) {
      found = new CloudTrailClient({
        endpoint: aws.endpoint,
        region,
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        maxAttempts: 1,
      });
      clientsByRegion.set(region, found);
    }
    return found;
  };
  /** A sweep context in `region` whose only client is CloudTrail's (any other read fails the test). */
  const contextIn = (region: string): CollectContext => ({
    clients: new Proxy({} as ReadClients, {
      get: (_t, name) =>
        name === "cloudTrail"
          ? () => client(region)
          : () => {
              throw new Error(`the CloudTrail collector asked for the ${String(name)} client`);
            },
    }),
    account: ACCOUNT,
    region,
    partition: "aws",
    config,
    now: NOW,
    logger: recordingLogger(),
  });
  async function collect(region: string): Promise<TrailObservation[]> {
    const found: TrailObservation[] = [];
    for await (const o of collector.collect(contextIn(region))) found.push(o);
    return found;
  }
  async function trail(name: string, region: string, settings: Record<string, unknown> = {}): Promise<void> {
    await client(region).send(
      new CreateTrailCommand({ Name: name, S3BucketName: `${name}-logs`, ...settings }),
    );
    await client(region).send(new StartLoggingCommand({ Name: name }));
  }

  beforeAll(async () => {
    aws = await startLocalAws();
    // The account's audit trail: multi-Region, validated, encrypted, logging. Compliant.
    await trail("org-audit-trail", "us-east-1", {
      IsMultiRegionTrail: true,
      EnableLogFileValidation: true,
      KmsKeyId: KEY,
    });
    // A single-Region trail without validation nor key.
    await trail("plain-trail", "us-east-1");
    // A validated, encrypted trail whose logging was stopped.
    await trail("stopped-trail", "us-east-1", { EnableLogFileValidation: true, KmsKeyId: KEY });
    await client("us-east-1").send(new StopLoggingCommand({ Name: "stopped-trail" }));
    // Homed in us-west-2, multi-Region: a shadow in us-east-1.
    await trail("west-trail", "us-west-2", {
      IsMultiRegionTrail: true,
      EnableLogFileValidation: true,
      KmsKeyId: KEY,
    });
  });
  afterAll(async () => {
    for (const c of clientsByRegion.values()) c.destroy();
    await aws.close();
  });

  it("is registered, regional, and declares exactly the reads it makes", async () => {
    expect(collectors).toContain(collector);
    expect(collector).toMatchObject({ resourceType: "AWS::CloudTrail::Trail", scope: "regional" });
    const from = aws.requests.length;
    await collect("us-east-1");
    const made = new Set(aws.requests.slice(from).map((r) => `cloudtrail:${r.action}`));
    expect([...made].sort()).toEqual([...collector.iamActions].sort());
  });

  it("each trail once, in its home Region; the shadow of a multi-Region trail is left to its home", async () => {
    const east = await collect("us-east-1");
    expect(east.map((o) => o.resource.id)).toEqual([
      arnOf("org-audit-trail"),
      arnOf("plain-trail"),
      arnOf("stopped-trail"),
    ]);
    const west = await collect("us-west-2");
    expect(west.map((o) => o.resource.id)).toEqual([arnOf("west-trail", "us-west-2")]);
    expect(west[0]).toMatchObject({
      resource: { region: "us-west-2", account: ACCOUNT, name: "west-trail" },
    });
  });

  it("states each trail as the event path does, complete, tags left to the pipeline", async () => {
    const [audit, plain, stopped] = await collect("us-east-1");
    expect(audit).toEqual({
      resource: {
        type: "AWS::CloudTrail::Trail",
        id: arnOf("org-audit-trail"),
        arn: arnOf("org-audit-trail"),
        account: ACCOUNT,
        region: "us-east-1",
        name: "org-audit-trail",
      },
      state: {
        trailArn: arnOf("org-audit-trail"),
        trailName: "org-audit-trail",
        logging: true,
        logFileValidation: true,
        multiRegion: true,
        includeGlobalServiceEvents: true,
        kmsKeyId: KEY,
      },
      complete: true,
      observedAt: NOW.toISOString(),
      tagsKnown: false,
    });
    // Single-Region from the start: multi-Region is not stated (a trail *turned* single-Region is the violation).
    expect(plain?.state).toEqual({
      trailArn: arnOf("plain-trail"),
      trailName: "plain-trail",
      logging: true,
      logFileValidation: false,
      kmsKeyId: null,
    });
    expect(stopped?.state).toMatchObject({ logging: false, logFileValidation: true, kmsKeyId: KEY });
  });

  it("the compliant trail violates nothing; multi-Region is judged only for a multi-Region trail", async () => {
    const [audit, plain] = await collect("us-east-1");
    if (!audit || !plain) throw new Error("trails missing");
    expect(decided(audit)).toEqual({
      "VIGIL.CLOUDTRAIL.LOGGING_STOPPED": [],
      "VIGIL.CLOUDTRAIL.MULTI_REGION_DISABLED": [],
      "CloudTrail.2": [],
      "CloudTrail.4": [],
    });
    expect(Object.keys(decided(plain))).not.toContain("VIGIL.CLOUDTRAIL.MULTI_REGION_DISABLED");
  });

  it("same violations as the event path: UpdateTrail removing the key and turning validation off", async () => {
    const out = await client("us-east-1").send(
      new UpdateTrailCommand({ Name: "plain-trail", EnableLogFileValidation: false, KmsKeyId: "" }),
    );
    const event = loadEvent("cloudtrail/UpdateTrail-remove-kms-key.json") as {
      detail: Record<string, unknown>;
    };
    event.detail.requestParameters = { name: "plain-trail", kmsKeyId: "", enableLogFileValidation: false };
    event.detail.responseElements = {
      name: out.Name,
      s3BucketName: out.S3BucketName,
      includeGlobalServiceEvents: out.IncludeGlobalServiceEvents,
      isMultiRegionTrail: out.IsMultiRegionTrail,
      trailARN: out.TrailARN,
      logFileValidationEnabled: out.LogFileValidationEnabled,
      isOrganizationTrail: out.IsOrganizationTrail,
    };
    const [fromEvent] = adapter.fromCloudTrail(cloudTrailDetailSchema.parse(event.detail), ACCOUNT);
    const swept = (await collect("us-east-1")).find((o) => o.resource.id === arnOf("plain-trail"));
    if (!fromEvent || !swept) throw new Error("observation missing");
    expect(swept.resource).toEqual(fromEvent.resource);
    const eventVerdicts = decided(fromEvent);
    const sweptVerdicts = decided(swept);
    expect(Object.keys(eventVerdicts).sort()).toEqual(["CloudTrail.2", "CloudTrail.4"]);
    for (const id of Object.keys(eventVerdicts)) expect(sweptVerdicts[id]).toEqual(eventVerdicts[id]);
    expect(sweptVerdicts["CloudTrail.2"]).toHaveLength(1);
    expect(sweptVerdicts["CloudTrail.4"]).toHaveLength(1);
  });

  it("same violations as the event path: StopLogging", async () => {
    const event = loadEvent("cloudtrail/StopLogging.json") as unknown as {
      detail: { requestParameters: { name: string } };
    };
    event.detail.requestParameters.name = arnOf("stopped-trail");
    const [fromEvent] = adapter.fromCloudTrail(cloudTrailDetailSchema.parse(event.detail), ACCOUNT);
    const swept = (await collect("us-east-1")).find((o) => o.resource.id === arnOf("stopped-trail"));
    if (!fromEvent || !swept) throw new Error("observation missing");
    expect(swept.resource).toEqual(fromEvent.resource);
    const logging = "VIGIL.CLOUDTRAIL.LOGGING_STOPPED";
    expect(decided(swept)[logging]).toEqual(decided(fromEvent)[logging]);
    expect(decided(swept)[logging]).toHaveLength(1);
  });

  it("a Region with no trail yields nothing", async () => {
    expect(await collect("eu-west-1")).toEqual([]);
  });
});

describe("sweep collector: CloudTrail trails, errors", () => {
  const ct = new CloudTrailClient({ region: "us-east-1" });
  const mock = mockClient(ct);
  const context: CollectContext = {
    clients: { cloudTrail: () => ct } as unknown as ReadClients,
    account: ACCOUNT,
    region: "us-east-1",
    partition: "aws",
    config,
    now: NOW,
    logger: recordingLogger(),
  };
  const listed = (name: string, extra: Record<string, unknown> = {}) => ({
    Name: name,
    TrailARN: arnOf(name),
    HomeRegion: "us-east-1",
    ...extra,
  });
  async function collectMocked(): Promise<string[]> {
    const ids: string[] = [];
    for await (const o of collector.collect(context)) ids.push(o.resource.id);
    return ids;
  }
  afterAll(() => mock.restore());

  it("a trail deleted between the listing and GetTrailStatus is skipped; another account's organization trail too", async () => {
    mock.reset();
    mock.on(DescribeTrailsCommand).resolves({
      trailList: [
        listed("gone-trail"),
        listed("kept-trail"),
        {
          Name: "org-trail",
          TrailARN: "arn:aws:cloudtrail:us-east-1:999988887777:trail/org-trail",
          HomeRegion: "us-east-1",
          IsOrganizationTrail: true,
        },
      ],
    });
    mock
      .on(GetTrailStatusCommand, { Name: arnOf("gone-trail") })
      .rejects(Object.assign(new Error("gone"), { name: "TrailNotFoundException", $metadata: {} }))
      .on(GetTrailStatusCommand, { Name: arnOf("kept-trail") })
      .resolves({ IsLogging: true });
    expect(await collectMocked()).toEqual([arnOf("kept-trail")]);
    expect(mock.commandCalls(DescribeTrailsCommand).map((c) => c.args[0].input)).toEqual([
      { includeShadowTrails: false },
    ]);
  });

  it("any other error propagates (the unit fails and is retried; nothing resolved from a partial listing)", async () => {
    mock.reset();
    mock.on(DescribeTrailsCommand).resolves({ trailList: [listed("kept-trail")] });
    mock
      .on(GetTrailStatusCommand)
      .rejects(Object.assign(new Error("slow down"), { name: "ThrottlingException", $metadata: {} }));
    await expect(collectMocked()).rejects.toThrow(/slow down/);
  });
});
