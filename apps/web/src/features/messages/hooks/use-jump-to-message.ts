import { useCallback } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { MESSAGE_PAGE_MAX, type MessagePageDto } from '@parley/contracts';
import {
  getMessagesAround,
  getMessagesBefore,
  messagesQueryKey,
  type MessagesData,
} from '../api/get-messages';

/** How long a message jumped to stays highlighted. */
export const JUMP_HIGHLIGHT_MS = 2_500;
/** Older pages fetched to join a jumped-to page to the loaded history before leaving a gap. */
const GAP_PAGES_MAX = 5;

function messageElement(seq: number): HTMLElement | null {
  return document.querySelector<HTMLElement>(
    `[role="log"][aria-label="Messages"] [data-seq="${seq}"]`,
  );
}

function oldestSeq(data: MessagesData | undefined): number | undefined {
  const seqs = (data?.pages ?? []).flatMap((page) => page.items.map((item) => item.seq));
  return seqs.length > 0 ? Math.min(...seqs) : undefined;
}

/** Scrolls the message into the middle of the list and highlights it for a moment. */
function reveal(element: HTMLElement): void {
  element.scrollIntoView({ block: 'center' });
  element.dataset.jumpTarget = 'true';
  setTimeout(() => delete element.dataset.jumpTarget, JUMP_HIGHLIGHT_MS);
  // Keyboard and screen reader users land on it too.
  const article = element.querySelector<HTMLElement>('article');
  if (article) {
    article.tabIndex = -1;
    article.focus({ preventScroll: true });
  }
}

/** Resolves after the next paint, once React has rendered what the cache just got. */
function afterPaint(): Promise<void> {
  return new Promise((resolve) =>
    requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
  );
}

/**
 * Loads the history down to `seq`: the page around it, joined to the loaded history by the older
 * pages in between (a few at most; beyond that the jumped-to page stands apart and "Load older"
 * continues from it). Pages stay newest first, so live messages and `sync` keep working on page 0.
 */
async function loadDownTo(queryClient: QueryClient, roomId: string, seq: number): Promise<void> {
  const key = messagesQueryKey(roomId);
  const around = await getMessagesAround(roomId, seq);
  const between: MessagePageDto[] = [];
  const aroundNewest = Math.max(...around.items.map((item) => item.seq), seq);
  let before = oldestSeq(queryClient.getQueryData<MessagesData>(key));
  for (let fetched = 0; before !== undefined && before > aroundNewest + 1; fetched += 1) {
    if (fetched === GAP_PAGES_MAX) break;
    const page = await getMessagesBefore(roomId, before, MESSAGE_PAGE_MAX);
    if (page.items.length === 0) break;
    between.push(page);
    before = Math.min(...page.items.map((item) => item.seq));
  }
  queryClient.setQueryData<MessagesData>(key, (data) => {
    if (!data) return { pages: [around], pageParams: [undefined] };
    const added = [...between, around];
    return {
      pages: [...data.pages, ...added],
      pageParams: [
        ...data.pageParams,
        ...added.map((page) => Math.max(...page.items.map((item) => item.seq), 0) + 1),
      ],
    };
  });
}

/**
 * Jump to a message of the room by seq: scroll to it when it is loaded, otherwise load the
 * history around it first; then highlight it briefly. Shared by replies and search results.
 * Resolves `false` when the message cannot be shown (no longer exists, failed to load).
 */
export function useJumpToMessage(roomId: string): (seq: number) => Promise<boolean> {
  const queryClient = useQueryClient();
  return useCallback(
    async (seq: number) => {
      let element = messageElement(seq);
      if (!element) {
        try {
          await loadDownTo(queryClient, roomId, seq);
        } catch {
          return false;
        }
        await afterPaint();
        element = messageElement(seq);
      }
      if (!element) return false;
      reveal(element);
      return true;
    },
    [queryClient, roomId],
  );
}
