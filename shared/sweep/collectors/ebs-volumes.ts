import { loadEc2 } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { stateFromVolume } from "../../resources/ebs-volume/live";
import { VOLUME_TYPE, volumeRef } from "../../resources/ebs-volume/ref";
import { defineCollector, type CollectContext, type Collector } from "../collector";

/** DescribeVolumes takes 5 to 1000 per page: the most, for the fewest calls. */
const PAGE_SIZE = 1000;

/**
 * Every EBS volume of the Region: encryption, attachments and tags in one answer, the state the
 * adapter's live read gives (EC2.3 judges attached volumes; unattached ones pass).
 */
export function ebsVolumesCollector(pageSize = PAGE_SIZE): Collector<"AWS::EC2::Volume"> {
  return defineCollector({
    resourceType: VOLUME_TYPE,
    scope: "regional",
    iamActions: ["ec2:DescribeVolumes"],
    async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::EC2::Volume">> {
      const [ec2, { paginateDescribeVolumes }] = await Promise.all([ctx.clients.ec2(), loadEc2()]);
      const observedAt = ctx.now.toISOString();
      for await (const page of paginateDescribeVolumes({ client: ec2 }, { MaxResults: pageSize })) {
        for (const volume of page.Volumes ?? []) {
          if (!volume.VolumeId) continue;
          yield {
            resource: volumeRef(volume.VolumeId, ctx.account, ctx.region),
            state: stateFromVolume(volume, volume.VolumeId),
            complete: true,
            observedAt,
            tagsKnown: true,
          };
        }
      }
    },
  });
}

export default ebsVolumesCollector();
