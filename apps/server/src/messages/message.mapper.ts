import type { MessageDto } from '@parley/contracts';
import type { MessageRecord } from './message.schema';

export function toMessageDto(record: MessageRecord): MessageDto {
  return {
    id: record._id.toHexString(),
    room: record.room,
    seq: record.seq,
    sender: {
      id: record.sender.toHexString(),
      username: record.senderUsername,
      displayName: record.senderDisplayName,
    },
    content: record.content,
    mentions: (record.mentions ?? []).map((mention) => ({
      userId: mention.user.toHexString(),
      username: mention.username,
    })),
    mentionsRoom: record.mentionsRoom === true,
    clientMessageId: record.clientMessageId,
    createdAt: record.createdAt.toISOString(),
    version: record.version ?? 1,
    changeSeq: record.changeSeq ?? 0,
    editedAt: record.editedAt?.toISOString() ?? null,
    deletedAt: record.deletedAt?.toISOString() ?? null,
    reactions: (record.reactions ?? []).map((reaction) => ({
      emoji: reaction.emoji,
      count: reaction.users.length,
      userIds: reaction.users.map((user) => user.toHexString()),
    })),
    replyTo: record.replyTo
      ? {
          id: record.replyTo.id.toHexString(),
          seq: record.replyTo.seq,
          sender: {
            id: record.replyTo.sender.toHexString(),
            username: record.replyTo.senderUsername,
            displayName: record.replyTo.senderDisplayName,
          },
          excerpt: record.replyTo.excerpt,
          deleted: record.replyTo.deleted === true,
        }
      : null,
    pinnedAt: record.pinnedAt?.toISOString() ?? null,
    attachments: (record.attachments ?? []).map((attachment) => ({
      id: attachment.file.toHexString(),
      name: attachment.name,
      size: attachment.size,
      contentType: attachment.contentType,
      kind: attachment.kind,
      width: attachment.width ?? null,
      height: attachment.height ?? null,
    })),
  };
}
