/**
 * Whether a container's `user` runs it as root. ECS passes it to Docker as `user[:group]`; the user
 * part decides. Absent (the image's default, root for most images), empty, `root` or uid 0 (also
 * written `00`) is root; a root group with a non-root user (`1000:0`) is not.
 */
export function runsAsRoot(user: string | undefined): boolean {
  const name = (user ?? "").split(":")[0]?.trim() ?? "";
  if (name === "" || name === "root") return true;
  return /^\d+$/.test(name) && Number(name) === 0;
}
