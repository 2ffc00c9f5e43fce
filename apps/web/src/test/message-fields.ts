import type { MessageDto } from '@parley/contracts';

/** The fields of a stored message that was never edited, reacted to, pinned or deleted. */
export const UNCHANGED_MESSAGE_FIELDS = {
  version: 1,
  changeSeq: 0,
  editedAt: null,
  deletedAt: null,
  reactions: [],
  replyTo: null,
  pinnedAt: null,
  attachments: [],
} satisfies Partial<MessageDto>;
