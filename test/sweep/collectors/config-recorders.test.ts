import {
  ConfigServiceClient,
  DeleteConfigurationRecorderCommand,
  DeleteDeliveryChannelCommand,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
  StopConfigurationRecorderCommand,
} from "@aws-sdk/client-config-service";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../../shared/events/cloudtrail";
import recorderAdapter from "../../../shared/resources/config-recorder/adapter";
import channelAdapter from "../../../shared/resources/config-recorder/delivery-channel-adapter";
import {
  configRecordersCollector,
  deliveryChannelsCollector,
} from "../../../shared/sweep/collectors/config-recorders";
import { collectorFor } from "../../../shared/sweep/collectors/index";
import { loadEvent } from "../../support/events";
import { startLocalAws, type LocalAws } from "../../support/local-aws/server";
import { ACCOUNT, collectAll, collectContext, credentials, REGION, verdicts, violated } from "./data-context";

const ROLE = "arn:aws:iam::111122223333:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";

describe("AWS Config recorder and delivery channel collectors (against the local Config double)", () => {
  let aws: LocalAws;
  let configService: ConfigServiceClient;

  beforeEach(async () => {
    aws = await startLocalAws();
    configService = new ConfigServiceClient({
      endpoint: aws.endpoint,
      region: REGION,
      credentials,
      maxAttempts: 1,
    });
  });
  afterEach(async () => {
    configService.destroy();
    await aws.close();
  });

  async function seedRecording() {
    await configService.send(
      new PutConfigurationRecorderCommand({
        ConfigurationRecorder: { name: "default", roleARN: ROLE, recordingGroup: { allSupported: true } },
      }),
    );
    await configService.send(
      new PutDeliveryChannelCommand({
        DeliveryChannel: { name: "default", s3BucketName: "config-bucket-111122223333" },
      }),
    );
    await configService.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: "default" }));
  }

  const fromEvent = (file: string) => cloudTrailDetailSchema.parse(loadEvent(`config/${file}.json`).detail);

  it("yields the recording recorder and its channel, whole; nothing fires", async () => {
    await seedRecording();
    const context = collectContext({ configService });
    const [recorder, ...more] = await collectAll(configRecordersCollector, context);
    const channels = await collectAll(deliveryChannelsCollector, context);

    expect(more).toEqual([]);
    expect(recorder).toMatchObject({
      resource: {
        id: "default",
        account: ACCOUNT,
        region: REGION,
        type: "AWS::Config::ConfigurationRecorder",
      },
      state: { recorderName: "default", region: REGION, recording: true, deleted: false },
      complete: true,
      tagsKnown: false,
    });
    expect(channels).toHaveLength(1);
    expect(channels[0]).toMatchObject({
      resource: { id: "default", type: "AWS::Config::DeliveryChannel" },
      state: { channelName: "default", region: REGION, deleted: false },
      complete: true,
    });
    expect(violated(recorder!)).toEqual([]);
    expect(violated(channels[0]!)).toEqual([]);
    expect(aws.calls("config", "DescribeConfigurationRecorders")).toHaveLength(1);
    expect(aws.calls("config", "DescribeConfigurationRecorderStatus")).toHaveLength(1);
  });

  it("a stopped recorder comes out as StopConfigurationRecorder's event says: RECORDER_STOPPED fires", async () => {
    await seedRecording();
    await configService.send(new StopConfigurationRecorderCommand({ ConfigurationRecorderName: "default" }));
    const [swept] = await collectAll(configRecordersCollector, collectContext({ configService }));
    const [stopped] = recorderAdapter.fromCloudTrail(fromEvent("StopConfigurationRecorder"), ACCOUNT);

    expect(swept?.resource).toEqual(stopped?.resource);
    expect(violated(stopped!)).toEqual(["VIGIL.CONFIG.RECORDER_STOPPED"]);
    expect(violated(swept!)).toEqual(["VIGIL.CONFIG.RECORDER_STOPPED"]);
    const stoppedCheck = (o: typeof swept) =>
      verdicts(o!).find((v) => v.checkId === "VIGIL.CONFIG.RECORDER_STOPPED");
    expect(stoppedCheck(swept)).toEqual(stoppedCheck(stopped));
  });

  it("a re-created channel is judged as PutDeliveryChannel's event is judged", async () => {
    await seedRecording();
    const [swept] = await collectAll(deliveryChannelsCollector, collectContext({ configService }));
    const [put] = channelAdapter.fromCloudTrail(fromEvent("PutDeliveryChannel"), ACCOUNT);
    expect(swept?.resource).toEqual(put?.resource);
    expect(swept?.state).toEqual(put?.state);
    expect(verdicts(swept!)).toEqual(verdicts(put!));
  });

  it("a Region without a recorder or channel yields nothing and says so in the log", async () => {
    await seedRecording();
    await configService.send(new StopConfigurationRecorderCommand({ ConfigurationRecorderName: "default" }));
    await configService.send(new DeleteDeliveryChannelCommand({ DeliveryChannelName: "default" }));
    await configService.send(
      new DeleteConfigurationRecorderCommand({ ConfigurationRecorderName: "default" }),
    );
    const context = collectContext({ configService });
    expect(await collectAll(configRecordersCollector, context)).toEqual([]);
    expect(await collectAll(deliveryChannelsCollector, context)).toEqual([]);
    expect(context.logger.entries.map((e) => e.message)).toEqual([
      "no AWS Config recorder in this Region: nothing records its resource changes",
    ]);
  });

  it("names exactly the read actions each makes, and both are registered", () => {
    expect(configRecordersCollector.iamActions).toEqual([
      "config:DescribeConfigurationRecorders",
      "config:DescribeConfigurationRecorderStatus",
    ]);
    expect(deliveryChannelsCollector.iamActions).toEqual(["config:DescribeDeliveryChannels"]);
    expect(collectorFor("AWS::Config::ConfigurationRecorder")).toBe(configRecordersCollector);
    expect(collectorFor("AWS::Config::DeliveryChannel")).toBe(deliveryChannelsCollector);
  });
});
