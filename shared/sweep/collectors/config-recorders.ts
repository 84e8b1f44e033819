import { loadConfigService } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import {
  DELIVERY_CHANNEL_TYPE,
  deliveryChannelRef,
  RECORDER_TYPE,
  recorderRef,
} from "../../resources/config-recorder/ref";
import type { ConfigRecorderState } from "../../resources/config-recorder/state";
import { defineCollector, type CollectContext } from "../collector";

/**
 * The Region's customer managed AWS Config recorder, recording or not
 * (DescribeConfigurationRecorders + DescribeConfigurationRecorderStatus): a stopped recorder is
 * `recording: false`, what StopConfigurationRecorder's event says, so VIGIL.CONFIG.RECORDER_STOPPED
 * (Config.1's "recorder not recording") comes out of the sweep too. Service-linked recorders (e.g.
 * Security Hub's) are left out: the account can't start or stop them.
 *
 * Neither call pages: a Region has at most one customer managed recorder. A Region with no
 * recorder at all yields nothing (the state can only say "deleted", which names a recorder and a
 * deletion that may never have happened); it is logged.
 */
export const configRecordersCollector = defineCollector({
  resourceType: RECORDER_TYPE,
  scope: "regional",
  iamActions: ["config:DescribeConfigurationRecorders", "config:DescribeConfigurationRecorderStatus"],
  async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::Config::ConfigurationRecorder">> {
    const [config, { DescribeConfigurationRecordersCommand, DescribeConfigurationRecorderStatusCommand }] =
      await Promise.all([ctx.clients.configService(), loadConfigService()]);
    // Both unfiltered, so a recorder deleted between the calls is simply missing (no NoSuch… error).
    const [recorders, statuses] = await Promise.all([
      config.send(new DescribeConfigurationRecordersCommand({})),
      config.send(new DescribeConfigurationRecorderStatusCommand({})),
    ]);
    const recording = new Map(
      (statuses.ConfigurationRecordersStatus ?? []).flatMap((s) =>
        s.name && s.servicePrincipal === undefined ? [[s.name, s.recording] as const] : [],
      ),
    );
    const observedAt = ctx.now.toISOString();
    let found = 0;
    for (const recorder of recorders.ConfigurationRecorders ?? []) {
      if (!recorder.name || recorder.servicePrincipal !== undefined) continue;
      found += 1;
      const isRecording = recording.get(recorder.name);
      const state: ConfigRecorderState = {
        recorderName: recorder.name,
        region: ctx.region,
        deleted: false,
        // No status (the recorder was created between the calls): RECORDER_STOPPED stays undecided.
        ...(typeof isRecording === "boolean" ? { recording: isRecording } : {}),
      };
      yield {
        resource: recorderRef(recorder.name, ctx.account, ctx.region),
        state,
        complete: true,
        observedAt,
        // Tags need the recorder's full ARN and one more call: read only for a recorder that violates.
        tagsKnown: false,
      };
    }
    if (!found)
      ctx.logger.warn("no AWS Config recorder in this Region: nothing records its resource changes", {
        account: ctx.account,
        region: ctx.region,
      });
  },
});

/**
 * The Region's Config delivery channels (DescribeDeliveryChannels, not paged: at most one per
 * Region), each as existing (`deleted: false`). A Region without one yields nothing (see above).
 */
export const deliveryChannelsCollector = defineCollector({
  resourceType: DELIVERY_CHANNEL_TYPE,
  scope: "regional",
  iamActions: ["config:DescribeDeliveryChannels"],
  async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::Config::DeliveryChannel">> {
    const [config, { DescribeDeliveryChannelsCommand }] = await Promise.all([
      ctx.clients.configService(),
      loadConfigService(),
    ]);
    const out = await config.send(new DescribeDeliveryChannelsCommand({}));
    const observedAt = ctx.now.toISOString();
    for (const channel of out.DeliveryChannels ?? []) {
      if (!channel.name) continue;
      yield {
        resource: deliveryChannelRef(channel.name, ctx.account, ctx.region),
        state: { channelName: channel.name, region: ctx.region, deleted: false },
        complete: true,
        observedAt,
        // Delivery channels carry no tags: only config exemptions apply.
        tagsKnown: true,
      };
    }
  },
});

export default configRecordersCollector;
