import type { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { errorName } from "../aws/errors";
import { loadConfigService } from "../aws/sdk";
import type { ConfigRecorderState } from "../resources/config-recorder/state";
import { defineRemediation, type RemediationOutcome } from "./define";

export const RESTART_CONFIG_RECORDER_ID = "restart-config-recorder";

/**
 * Why there is no undo: stopping the recorder again would re-open the gap Vigil closed. Whoever
 * really wants it stopped tags the recorder `vigil:exempt` (or exempts the check in config) first,
 * then stops it themselves. Deleted recorders and delivery channels are not re-created at all:
 * that needs their IAM role, recording scope and S3 bucket, which the deletion event doesn't carry.
 */
const NO_UNDO =
  "not undoable by design: Vigil never stops an AWS Config recorder; " +
  "tag it exempt (or exempt the check in config) first, then stop it yourself if it is really intended";

/** The client's Region, when it can say: the recorder is per Region, so acting elsewhere would be wrong. */
async function clientRegion(config: ConfigServiceClient): Promise<string | undefined> {
  const region: unknown = config.config.region;
  if (typeof region === "function") return String(await (region as () => Promise<string>)());
  return typeof region === "string" ? region : undefined;
}

/** Reasons StartConfigurationRecorder can't succeed that a retry won't fix; each has its own finding or fix. */
const CANT_START: Record<string, string> = {
  NoSuchConfigurationRecorderException: "no longer exists (see VIGIL.CONFIG.RECORDER_DELETED)",
  NoAvailableDeliveryChannelException:
    "has no delivery channel left to record to (see VIGIL.CONFIG.DELIVERY_CHANNEL_DELETED): re-create the channel, then start the recorder",
};

/** StartConfigurationRecorder answers nothing; DescribeConfigurationRecorderStatus confirms it records. */
async function restart(config: ConfigServiceClient, state: ConfigRecorderState): Promise<RemediationOutcome> {
  const { DescribeConfigurationRecorderStatusCommand, StartConfigurationRecorderCommand } =
    await loadConfigService();
  const name = state.recorderName;
  try {
    await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: name }));
  } catch (error) {
    const why = CANT_START[errorName(error)];
    if (!why) throw error;
    // Not "already-gone": nothing was restored, the recorder is still not recording.
    return { result: "skipped", action: `not restarted: recorder ${name} ${why}`, awsCalls: 1 };
  }
  const out = await config.send(
    new DescribeConfigurationRecorderStatusCommand({ ConfigurationRecorderNames: [name] }),
  );
  const status = out.ConfigurationRecordersStatus?.find((s) => s.name === name);
  if (status?.recording !== true) {
    return {
      result: "failed",
      action: `StartConfigurationRecorder ${name} sent, but Config does not report it recording`,
      awsCalls: 2,
    };
  }
  return {
    result: "succeeded",
    action: `AWS Config recorder ${name} is recording again in ${state.region}`,
    detail: NO_UNDO,
    awsCalls: 2,
  };
}

export default defineRemediation<"AWS::Config::ConfigurationRecorder">({
  id: RESTART_CONFIG_RECORDER_ID,
  title: "Restart a stopped AWS Config recorder",
  resourceType: "AWS::Config::ConfigurationRecorder",
  iamActions: ["config:StartConfigurationRecorder", "config:DescribeConfigurationRecorderStatus"],
  undoIamActions: [],
  disruptive: false,
  async apply({ state, violations, dryRun }, clients): Promise<RemediationOutcome> {
    if (!violations.some((v) => v.evidence.setting === "recording"))
      return { result: "skipped", action: "nothing to restart", awsCalls: 0 };
    if (dryRun)
      return { result: "planned", action: `StartConfigurationRecorder ${state.recorderName}`, awsCalls: 0 };
    const config = await clients.configService();
    const region = await clientRegion(config);
    if (region !== undefined && region !== state.region) {
      return {
        result: "skipped",
        action: `not remediated: recorder ${state.recorderName} is in ${state.region}, Vigil's client acts in ${region}`,
        awsCalls: 0,
      };
    }
    return restart(config, state);
  },
  async undo() {
    throw new Error(`${RESTART_CONFIG_RECORDER_ID}: ${NO_UNDO}`);
  },
});
