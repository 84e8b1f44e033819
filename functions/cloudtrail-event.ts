// Placeholder entry point: replaced by the real handler.
export const handler = async (event: unknown): Promise<{ ok: boolean }> => ({ ok: event !== undefined });
