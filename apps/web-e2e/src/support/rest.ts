import type { MessagePageDto } from '@parley/contracts';

/**
 * A room's stored history as the REST API returns it (oldest first), read by a fresh guest: what
 * the server holds, independent of what any browser shows. Public rooms only.
 */
export async function storedContents(baseUrl: string, roomId: string): Promise<string[]> {
  const session = await fetch(`${baseUrl}/api/auth/guest`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: `reader_${Math.random().toString(36).slice(2, 8)}` }),
  });
  if (!session.ok) throw new Error(`guest sign-in failed: ${session.status}`);
  const { accessToken } = (await session.json()) as { accessToken: string };
  const contents: string[] = [];
  for (let before: number | null | undefined = undefined; before !== null;) {
    const query = before === undefined ? '' : `?before=${before}`;
    const response = await fetch(`${baseUrl}/api/rooms/${roomId}/messages${query}`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    if (!response.ok) throw new Error(`history failed: ${response.status}`);
    const page = (await response.json()) as MessagePageDto;
    contents.unshift(...page.items.map((item) => item.content));
    before = page.nextBefore;
  }
  return contents;
}
