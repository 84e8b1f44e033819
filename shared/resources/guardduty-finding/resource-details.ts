import type { ResourceDetail } from "./detail-schema";
import type { AffectedResource, EksDetails, InstanceDetails, NetworkInterfaceDetails } from "./state";
import { compact, cut, firstDistinct, LIMITS } from "./trim";

interface Container {
  name?: string | null;
  image?: string | null;
  securityContext?: { privileged?: boolean | null } | null;
}
type Tags = { key?: string | null; value?: string | null }[] | null | undefined;
type InstanceDetail = NonNullable<ResourceDetail["instanceDetails"]>;
type NetworkInterfaceDetail = NonNullable<InstanceDetail["networkInterfaces"]>[number];

function tagsOf(tags: Tags): Record<string, string> {
  const entries = (tags ?? [])
    .map((t) => [cut(t.key, LIMITS.tagKey), cut(t.value, LIMITS.tagValue) ?? ""] as const)
    .filter((entry): entry is readonly [string, string] => entry[0] !== undefined)
    .slice(0, LIMITS.tags);
  return Object.fromEntries(entries);
}

function imagesOf(containers: readonly Container[] | null | undefined): string[] {
  return firstDistinct(
    (containers ?? []).map((c) => cut(c.image, LIMITS.image)),
    LIMITS.images,
  );
}

function networkInterfaceOf(ni: NetworkInterfaceDetail): NetworkInterfaceDetails[] {
  const networkInterfaceId = cut(ni.networkInterfaceId, 64);
  if (!networkInterfaceId) return [];
  return [
    compact({
      networkInterfaceId,
      securityGroupIds: firstDistinct(
        (ni.securityGroups ?? []).map((g) => cut(g.groupId, 64)),
        LIMITS.securityGroups,
      ),
      vpcId: cut(ni.vpcId, 64),
      subnetId: cut(ni.subnetId, 64),
      privateIp: cut(ni.privateIpAddress, 64),
      publicIp: cut(ni.publicIp, 64),
    }),
  ];
}

function instanceOf(details: InstanceDetail): InstanceDetails | undefined {
  const instanceId = cut(details.instanceId, 64);
  if (!instanceId) return undefined;
  const tags = tagsOf(details.tags);
  return compact({
    instanceId,
    instanceType: cut(details.instanceType, 64),
    instanceState: cut(details.instanceState, 32),
    name: tags.Name,
    networkInterfaces: (details.networkInterfaces ?? [])
      .slice(0, LIMITS.networkInterfaces)
      .flatMap(networkInterfaceOf),
    tags,
  });
}

function eksOf(resource: ResourceDetail): EksDetails | undefined {
  const cluster = resource.eksClusterDetails;
  const k8s = resource.kubernetesDetails;
  if (!cluster && !k8s) return undefined;
  const workload = k8s?.kubernetesWorkloadDetails;
  const user = k8s?.kubernetesUserDetails;
  const containers = workload?.containers ?? [];
  return compact({
    clusterName: cut(cluster?.name, 100),
    clusterArn: cut(cluster?.arn, 300),
    namespace: cut(workload?.namespace, 63),
    workloadName: cut(workload?.name, 253),
    workloadType: cut(workload?.type, 64),
    images: imagesOf(containers),
    privilegedContainers: firstDistinct(
      containers.filter((c) => c.securityContext?.privileged === true).map((c) => cut(c.name, 253)),
      LIMITS.images,
    ),
    user: user
      ? compact({
          username: cut(user.username, 256),
          groups: firstDistinct(
            (user.groups ?? []).map((g) => cut(g, 256)),
            LIMITS.groups,
          ),
        })
      : undefined,
  });
}

/** The affected resource, by the detail blocks present (a Container finding also names its host instance). */
export function affectedResource(resource: ResourceDetail): AffectedResource {
  const key = resource.accessKeyDetails;
  const ecs = resource.ecsClusterDetails;
  const container = resource.containerDetails;
  const containerRef = container
    ? compact({ name: cut(container.name, 253), image: cut(container.image, LIMITS.image) })
    : undefined;
  const buckets = firstDistinct(
    (resource.s3BucketDetails ?? []).map((b) => cut(b.name, 63)),
    LIMITS.buckets,
  );
  return compact({
    resourceType: cut(resource.resourceType, 64) ?? "Unknown",
    instance: resource.instanceDetails ? instanceOf(resource.instanceDetails) : undefined,
    accessKey: key
      ? compact({
          accessKeyId: cut(key.accessKeyId, 128),
          principalId: cut(key.principalId, 128),
          userName: cut(key.userName, 256),
          userType: cut(key.userType, 64),
        })
      : undefined,
    eks: eksOf(resource),
    ecs: ecs
      ? compact({
          clusterName: cut(ecs.name, 255),
          clusterArn: cut(ecs.arn, 300),
          taskArn: cut(ecs.taskDetails?.arn, 300),
          taskDefinitionArn: cut(ecs.taskDetails?.definitionArn, 300),
          images: imagesOf(ecs.taskDetails?.containers),
        })
      : undefined,
    container: containerRef && Object.keys(containerRef).length ? containerRef : undefined,
    s3Buckets: buckets.length ? buckets : undefined,
  });
}
