import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { DEFAULT_NAME, deliveryChannelRef, recorderRef } from "./ref";
import type { ConfigRecorderState } from "./state";

type RecorderObservation = Observation<"AWS::Config::ConfigurationRecorder">;
type ChannelObservation = Observation<"AWS::Config::DeliveryChannel">;

/** Config's names: 1-256 characters (API reference); CloudTrail's request is camelCase. */
const name = z.string().min(1).max(256);

const byNameSchema = z.looseObject({ configurationRecorderName: name });
/** `PutConfigurationRecorder`: `configurationRecorder.name` may be left out (Config then uses "default"). */
const putRecorderSchema = z.looseObject({
  configurationRecorder: z.looseObject({ name: name.optional() }),
});
const channelByNameSchema = z.looseObject({ deliveryChannelName: name });
const putChannelSchema = z.looseObject({ deliveryChannel: z.looseObject({ name: name.optional() }) });

function parse<T extends z.ZodType>(schema: T, detail: CloudTrailDetail): z.infer<T> {
  const result = schema.safeParse(detail.requestParameters);
  if (!result.success)
    throw new UnusableEventError(`${detail.eventName} requestParameters: ${z.prettifyError(result.error)}`);
  return result.data;
}

/** The setting each recorder call states; each is the whole truth about that setting. */
function recorderSettings(detail: CloudTrailDetail): {
  name: string;
  settings: Partial<ConfigRecorderState>;
} {
  switch (detail.eventName) {
    case "StopConfigurationRecorder":
      return { name: parse(byNameSchema, detail).configurationRecorderName, settings: { recording: false } };
    case "StartConfigurationRecorder":
      return {
        name: parse(byNameSchema, detail).configurationRecorderName,
        settings: { recording: true, deleted: false },
      };
    case "DeleteConfigurationRecorder":
      return { name: parse(byNameSchema, detail).configurationRecorderName, settings: { deleted: true } };
    case "PutConfigurationRecorder":
      // Creates or updates the recorder; it does not start recording, so `recording` stays unknown.
      return {
        name: parse(putRecorderSchema, detail).configurationRecorder.name ?? DEFAULT_NAME,
        settings: { deleted: false },
      };
    default:
      throw new UnusableEventError(`no Config recorder reader for ${detail.eventName}`);
  }
}

export function fromRecorderCall(detail: CloudTrailDetail, account: string): RecorderObservation[] {
  const { name: recorderName, settings } = recorderSettings(detail);
  const region = detail.awsRegion;
  return [
    {
      resource: recorderRef(recorderName, account, region),
      state: { recorderName, region, ...settings },
      // Complete for the settings the call states; checks of the other setting stay undecided.
      complete: true,
      observedAt: detail.eventTime,
      // A deleted recorder has no tags left to read; a live one's are read when it violates.
      tagsKnown: settings.deleted === true,
    },
  ];
}

/** `DeleteDeliveryChannel` / `PutDeliveryChannel`. */
export function fromDeliveryChannelCall(detail: CloudTrailDetail, account: string): ChannelObservation[] {
  let channelName: string;
  if (detail.eventName === "DeleteDeliveryChannel") {
    channelName = parse(channelByNameSchema, detail).deliveryChannelName;
  } else if (detail.eventName === "PutDeliveryChannel") {
    channelName = parse(putChannelSchema, detail).deliveryChannel.name ?? DEFAULT_NAME;
  } else {
    throw new UnusableEventError(`no Config delivery channel reader for ${detail.eventName}`);
  }
  const region = detail.awsRegion;
  return [
    {
      resource: deliveryChannelRef(channelName, account, region),
      state: { channelName, region, deleted: detail.eventName === "DeleteDeliveryChannel" },
      complete: true,
      observedAt: detail.eventTime,
      tagsKnown: true,
    },
  ];
}
