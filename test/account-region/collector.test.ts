import {
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from "@aws-sdk/client-cloudtrail";
import {
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
} from "@aws-sdk/client-config-service";
import { CreateDetectorCommand, UpdateDetectorCommand } from "@aws-sdk/client-guardduty";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checks } from "../../shared/checks/catalog";
import { runChecks } from "../../shared/pipeline/evaluate";
import type { Observation } from "../../shared/resources/adapter";
import type { CollectContext } from "../../shared/sweep/collector";
import collector from "../../shared/sweep/collectors/account-region";
import { collectors } from "../../shared/sweep/collectors/index";
import type { CloudTrailDouble } from "../support/local-aws/cloudtrail";
import type { ConfigServiceDouble } from "../support/local-aws/config-service";
import type { GuardDutyDouble } from "../support/local-aws/guardduty";
import { startLocalAws, type LocalAws } from "../support/local-aws/server";
import { recordingLogger } from "../support/runtime";
import { ACCOUNT, config, LocalClients } from "./support";

const NOW = new Date("2025-03-20T09:00:00.000Z");
const SLR = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;
type RegionObservation = Observation<"AWS::::AccountRegion">;

/** Each Region-wide check's verdict: its violations' summaries, or `undecided: <why>`. */
function verdicts(observation: Observation): Record<string, string[] | string> {
  return Object.fromEntries(
    runChecks(observation, checks, { config }).map((r) => [
      r.check.id,
      r.undecided ? `undecided: ${r.undecided}` : r.violations.map((v) => v.summary),
    ]),
  );
}

describe("sweep collector: account and Region (CloudTrail, GuardDuty, Config)", () => {
  let aws: LocalAws;
  let clients: LocalClients;
  const context = (region: string): CollectContext => ({
    clients: clients.readClients(region),
    account: ACCOUNT,
    region,
    partition: "aws",
    config,
    now: NOW,
    logger: recordingLogger(),
  });
  async function collect(region: string): Promise<RegionObservation[]> {
    const found: RegionObservation[] = [];
    for await (const o of collector.collect(context(region))) found.push(o);
    return found;
  }
  async function only(region: string): Promise<RegionObservation> {
    const found = await collect(region);
    expect(found).toHaveLength(1);
    return found[0] as RegionObservation;
  }

  /** Config fully on in `region`: recorder with the service-linked role, channel, started. */
  async function turnConfigOn(region: string, roleARN = SLR) {
    const c = clients.in(region).configService;
    await c.send(
      new PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: "default", roleARN } }),
    );
    await c.send(
      new PutDeliveryChannelCommand({ DeliveryChannel: { name: "default", s3BucketName: "config-bucket" } }),
    );
    await c.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: "default" }));
  }

  // A fresh endpoint per test: multi-Region trails show in every Region, so tests can't share one.
  beforeEach(async () => {
    aws = await startLocalAws();
    clients = new LocalClients(aws.endpoint);
  });
  afterEach(async () => {
    clients.destroy();
    await aws.close();
  });

  it("is registered, regional, and declares exactly the reads it makes", async () => {
    expect(collectors).toContain(collector);
    expect(collector).toMatchObject({ resourceType: "AWS::::AccountRegion", scope: "regional" });
    const ct = clients.in("ap-south-1").cloudTrail;
    await ct.send(new CreateTrailCommand({ Name: "probe", S3BucketName: "b", IsMultiRegionTrail: true }));
    await clients.in("ap-south-1").guardDuty.send(new CreateDetectorCommand({ Enable: true }));
    const from = aws.requests.length;
    await collect("ap-south-1");
    const prefix: Record<string, string> = {
      cloudtrail: "cloudtrail",
      guardduty: "guardduty",
      config: "config",
    };
    const made = new Set(
      aws.requests.slice(from).map((r) => `${prefix[r.service] ?? r.service}:${r.action}`),
    );
    expect([...made].sort()).toEqual([...collector.iamActions].sort());
  });

  it("an empty Region: one whole observation, and all three checks fail", async () => {
    const observation = await only("eu-north-1");
    expect(observation).toEqual({
      resource: {
        type: "AWS::::AccountRegion",
        id: `${ACCOUNT}:eu-north-1`,
        arn: `arn:aws::eu-north-1:${ACCOUNT}:account-region`,
        account: ACCOUNT,
        region: "eu-north-1",
        name: `AWS account ${ACCOUNT} in eu-north-1`,
      },
      state: {
        account: ACCOUNT,
        region: "eu-north-1",
        cloudTrail: { trails: [] },
        guardDuty: { detectors: [] },
        config: { recorders: [] },
        tags: {},
      },
      complete: true,
      observedAt: NOW.toISOString(),
      tagsKnown: true,
    });
    expect(verdicts(observation)).toEqual({
      "CloudTrail.1": ["No CloudTrail trail covers eu-north-1"],
      "GuardDuty.1": ["GuardDuty is not enabled in eu-north-1: no detector"],
      "Config.1": ["AWS Config is not enabled in eu-north-1: no configuration recorder"],
    });
  });

  it("a Region with all three on passes, counting a multi-Region trail homed in another Region (its shadow)", async () => {
    const home = clients.in("us-east-2").cloudTrail;
    await home.send(
      new CreateTrailCommand({ Name: "org-audit", S3BucketName: "audit", IsMultiRegionTrail: true }),
    );
    await home.send(new StartLoggingCommand({ Name: "org-audit" }));
    await clients.in("eu-west-3").guardDuty.send(new CreateDetectorCommand({ Enable: true }));
    await turnConfigOn("eu-west-3");

    const observation = await only("eu-west-3");
    expect(observation.state?.cloudTrail).toEqual({
      trails: [
        {
          name: "org-audit",
          arn: `arn:aws:cloudtrail:us-east-2:${ACCOUNT}:trail/org-audit`,
          homeRegion: "us-east-2",
          multiRegion: true,
          organizationTrail: false,
          logging: true,
          managementEvents: "all",
        },
      ],
    });
    expect(verdicts(observation)).toEqual({ "CloudTrail.1": [], "GuardDuty.1": [], "Config.1": [] });
  });

  it("names what it found: a write-only multi-Region trail, a stopped one, a suspended detector, a stopped recorder", async () => {
    const region = "sa-east-1";
    const ct = clients.in(region).cloudTrail;
    await ct.send(new CreateTrailCommand({ Name: "writes", S3BucketName: "b", IsMultiRegionTrail: true }));
    await ct.send(new StartLoggingCommand({ Name: "writes" }));
    await ct.send(
      new PutEventSelectorsCommand({
        TrailName: "writes",
        AdvancedEventSelectors: [
          {
            Name: "write management events",
            FieldSelectors: [
              { Field: "eventCategory", Equals: ["Management"] },
              { Field: "readOnly", Equals: ["false"] },
            ],
          },
        ],
      }),
    );
    await ct.send(new CreateTrailCommand({ Name: "stopped", S3BucketName: "b", IsMultiRegionTrail: true }));
    const gd = clients.in(region).guardDuty;
    const { DetectorId } = await gd.send(new CreateDetectorCommand({ Enable: true }));
    await gd.send(new UpdateDetectorCommand({ DetectorId, Enable: false }));
    await clients
      .in(region)
      .configService.send(
        new PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: "default", roleARN: SLR } }),
      );

    const observation = await only(region);
    const results = runChecks(observation, checks, { config });
    const evidence = (id: string) => results.find((r) => r.check.id === id)?.violations[0]?.evidence;
    expect(evidence("CloudTrail.1")).toEqual({
      region,
      trails: expect.arrayContaining([
        expect.objectContaining({
          name: "writes",
          managementEvents: "write-only",
          whyItDoesNotCount: ["records write management events only"],
        }),
        expect.objectContaining({ name: "stopped", logging: false, whyItDoesNotCount: ["not logging"] }),
      ]),
    });
    expect(evidence("GuardDuty.1")).toEqual({
      region,
      detectors: [{ detectorId: DetectorId, status: "DISABLED" }],
    });
    expect(evidence("Config.1")).toEqual({
      region,
      recorders: [{ name: "default", recording: false, roleArn: SLR }],
    });
  });

  it("a part Vigil may not read is unknown and its check undecided; the others are still judged", async () => {
    const region = "ca-central-1";
    await clients.in(region).guardDuty.send(new CreateDetectorCommand({ Enable: true }));
    aws.double<CloudTrailDouble>("cloudtrail").deny("DescribeTrails");
    aws.double<ConfigServiceDouble>("config").deny("DescribeConfigurationRecorderStatus");
    const observation = await only(region);
    expect(observation.state).toMatchObject({ cloudTrail: "unknown", config: "unknown" });
    expect(verdicts(observation)).toEqual({
      "CloudTrail.1": "undecided: Vigil may not list this Region's trails (AccessDenied)",
      "GuardDuty.1": [],
      "Config.1": "undecided: Vigil may not list this Region's AWS Config recorders (AccessDenied)",
    });

    aws.double<GuardDutyDouble>("guardduty").deny("ListDetectors");
    expect((await only(region)).state?.guardDuty).toBe("unknown");
  });

  it("a trail whose selectors can't be read is unknown: undecided unless another trail counts", async () => {
    const region = "ap-northeast-3";
    const ct = clients.in(region).cloudTrail;
    await ct.send(new CreateTrailCommand({ Name: "guarded", S3BucketName: "b", IsMultiRegionTrail: true }));
    await ct.send(new StartLoggingCommand({ Name: "guarded" }));
    aws.double<CloudTrailDouble>("cloudtrail").deny("GetEventSelectors");
    const observation = await only(region);
    expect(observation.state?.cloudTrail).toEqual({
      trails: [expect.objectContaining({ name: "guarded", logging: true, managementEvents: "unknown" })],
    });
    expect(verdicts(observation)["CloudTrail.1"]).toMatch(/^undecided: .*guarded/);
  });

  it("errors other than AccessDenied fail the unit (nothing judged from a partial read)", async () => {
    const failing = {
      ...context("us-west-1"),
      clients: new Proxy(clients.readClients("us-west-1"), {
        get: (target, name, receiver) =>
          name === "guardDuty"
            ? () => {
                throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
              }
            : Reflect.get(target, name, receiver),
      }),
    };
    const run = async () => {
      for await (const o of collector.collect(failing)) void o;
    };
    await expect(run()).rejects.toThrow("Rate exceeded");
  });
});
