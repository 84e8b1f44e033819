/**
 * Creates a value on first use and keeps it: paths that need none load nothing (not even an SDK
 * client's code). Concurrent first calls share one creation; a failed one is forgotten, so the next
 * call tries again.
 */
export function lazy<T>(create: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    if (!value) {
      const attempt = create();
      value = attempt;
      attempt.catch(() => {
        if (value === attempt) value = undefined;
      });
    }
    return value;
  };
}
