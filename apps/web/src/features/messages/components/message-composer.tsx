import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type SyntheticEvent,
} from 'react';
import {
  MESSAGE_MAX_LENGTH,
  ROOM_MENTION,
  ROOM_MENTION_OPEN_MAX_MEMBERS,
  type PresenceDto,
  type RoomMemberDto,
  type RoomRole,
} from '@parley/contracts';
import { AttachButton, UploadTray, filesOf, type Uploads } from '@/features/files';
import { useOfferDesktopNotifications } from '@/features/notifications';
import { PresenceDot } from '@/features/presence';
import { useMembers, useRoom } from '@/features/rooms';
import { useSession } from '@/lib/session-store';
import { useMessageRoom } from '../hooks/message-room-context';
import {
  loadEmojiDataset,
  searchShortcodes,
  shortcodeIndex,
  type ShortcodeEmoji,
} from '../lib/emoji-data';
import type { SendOptions } from '../lib/message-delivery';
import { EmojiPickerPopover } from './emoji-picker';
import { ComposerReplyPreview } from './reply-preview';

/** The counter appears once a message gets this close to the limit. */
const WARN_REMAINING = 500;

/** Enough to pick from without covering the conversation. */
export const MENTION_SUGGESTIONS_MAX = 8;

/**
 * Counts what the server's length check counts: the trimmed text, by code point, so an emoji
 * is one character and not two.
 */
export function messageLength(value: string): number {
  return Array.from(value.trim()).length;
}

/** Someone who can be mentioned in this room. */
export interface MentionCandidate {
  userId: string;
  username: string;
  displayName: string;
  presence?: PresenceDto;
}

export interface MentionOptions {
  /** The room's members other than me. */
  candidates: readonly MentionCandidate[];
  /** Whether `@room` is mine to use here. */
  canMentionRoom: boolean;
}

export type MentionSuggestion = { kind: 'user'; candidate: MentionCandidate } | { kind: 'room' };
/** What the list under the composer offers: a mention, or an emoji for a `:shortcode`. */
export type Suggestion = MentionSuggestion | { kind: 'emoji'; entry: ShortcodeEmoji };

/** The `@name` being typed, up to the caret. */
export interface MentionToken {
  /** Index of the `@`. */
  start: number;
  /** What follows the `@`, up to the caret (may be empty). */
  query: string;
}

/**
 * The same grammar as the server's (`findMentions` in the contract): an `@` at the start or after
 * a character that cannot be part of a name, then name characters up to the caret.
 */
const TYPED_MENTION = /(^|[^\w@.-])@([a-z0-9_.-]{0,32})$/i;

export function mentionTokenAt(text: string, caret: number): MentionToken | null {
  const match = TYPED_MENTION.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: match.index + match[1].length, query: match[2] };
}

/**
 * A `:shortcode` being typed, up to the caret: a colon at the start or after a space or
 * punctuation (not `12:30` or `http:`), then at least two name characters.
 */
const TYPED_SHORTCODE = /(^|[\s([{"'])(:([a-z0-9_+-]{2,32}))$/i;

export function shortcodeTokenAt(text: string, caret: number): MentionToken | null {
  const match = TYPED_SHORTCODE.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: match.index + match[1].length, query: match[3] };
}

/** Replaces the typed `:query` with the emoji itself. */
export function insertEmoji(
  text: string,
  token: MentionToken,
  caret: number,
  emoji: string,
): { text: string; caret: number } {
  return {
    text: text.slice(0, token.start) + emoji + text.slice(caret),
    caret: token.start + emoji.length,
  };
}

/** The shortcode index, loaded (lazily, once) when a `:shortcode` is first typed. */
function useShortcodes(wanted: boolean): readonly ShortcodeEmoji[] | null {
  const [index, setIndex] = useState<readonly ShortcodeEmoji[] | null>(null);
  useEffect(() => {
    if (!wanted || index) return;
    let current = true;
    loadEmojiDataset().then(
      (dataset) => {
        if (current) setIndex(shortcodeIndex(dataset));
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [wanted, index]);
  return index;
}

function matches(candidate: MentionCandidate, query: string): boolean {
  if (candidate.username.startsWith(query)) return true;
  const name = candidate.displayName.toLowerCase();
  return name.startsWith(query) || name.split(/\s+/).some((word) => word.startsWith(query));
}

/**
 * Members whose username, display name or a word of it starts with the query (usernames first,
 * then by name), and `@room` where allowed; at most `MENTION_SUGGESTIONS_MAX`, keeping a place
 * for `@room`.
 */
export function mentionSuggestions(options: MentionOptions, query: string): MentionSuggestion[] {
  const lowered = query.toLowerCase();
  const room = options.canMentionRoom && ROOM_MENTION.startsWith(lowered);
  const users = options.candidates
    .filter((candidate) => matches(candidate, lowered))
    .sort((a, b) => {
      const byUsername =
        Number(b.username.startsWith(lowered)) - Number(a.username.startsWith(lowered));
      return byUsername || a.displayName.localeCompare(b.displayName);
    })
    .slice(0, MENTION_SUGGESTIONS_MAX - (room ? 1 : 0))
    .map((candidate): MentionSuggestion => ({ kind: 'user', candidate }));
  return room ? [...users, { kind: 'room' }] : users;
}

/** Replaces the typed `@query` with `@name ` and says where the caret goes. */
export function insertMention(
  text: string,
  token: MentionToken,
  caret: number,
  name: string,
): { text: string; caret: number } {
  const rest = text.slice(caret);
  const inserted = `@${name}${/^\s/.test(rest) ? '' : ' '}`;
  return {
    text: text.slice(0, token.start) + inserted + rest,
    caret: token.start + inserted.length,
  };
}

/** `@room` notifies everyone: owners and moderators only, in rooms over the open limit. */
export function canMentionRoom(memberCount: number, role: RoomRole | null | undefined): boolean {
  return memberCount <= ROOM_MENTION_OPEN_MAX_MEMBERS || role === 'owner' || role === 'moderator';
}

export interface MessageComposerProps {
  onSend: (content: string, options?: SendOptions) => void;
  disabled?: boolean;
  /** Shown as the placeholder, e.g. why sending is not possible yet. */
  placeholder?: string;
  /** Every edit the user makes (not the clearing after a send), e.g. for the typing indicator. */
  onDraftChange?: (draft: string) => void;
  onBlur?: () => void;
  /** The room written to: its members are offered after `@`. */
  roomId?: string;
  /** Files going with the next message (attach button, paste); `onSend` takes them. */
  uploads?: Uploads;
}

const NO_MENTIONS: MentionOptions = { candidates: [], canMentionRoom: false };
const NO_MEMBERS: RoomMemberDto[] = [];

/** The composer of a room: mentions among its members, and the notification offer. */
function RoomMessageComposer({
  roomId,
  onSend,
  ...props
}: MessageComposerProps & { roomId: string }) {
  const myId = useSession()?.user.id;
  const room = useRoom(roomId);
  const members = useMembers(roomId, !props.disabled).data ?? NO_MEMBERS;
  const offerNotifications = useOfferDesktopNotifications();
  const kind = room.data?.kind;

  // Opening a direct conversation is a moment notifications make sense.
  useEffect(() => {
    if (kind === 'direct') offerNotifications();
  }, [kind, offerNotifications]);

  const myRole = members.find((member) => member.user.id === myId)?.role ?? room.data?.role;
  const mentions: MentionOptions = {
    candidates: members
      .filter((member) => member.user.id !== myId)
      .map(({ user, presence }) => ({
        userId: user.id,
        username: user.username,
        displayName: user.displayName,
        presence,
      })),
    // Everyone in a direct conversation is the other person: `@room` adds nothing there.
    canMentionRoom:
      kind !== undefined && kind !== 'direct' && canMentionRoom(members.length, myRole),
  };

  return (
    <ComposerForm
      {...props}
      mentions={mentions}
      onSend={(...args) => {
        offerNotifications();
        onSend(...args);
      }}
    />
  );
}

export function MessageComposer(props: MessageComposerProps) {
  return props.roomId === undefined ? (
    <ComposerForm {...props} mentions={NO_MENTIONS} />
  ) : (
    <RoomMessageComposer {...props} roomId={props.roomId} />
  );
}

function suggestionKey(suggestion: Suggestion): string {
  if (suggestion.kind === 'room') return '@room';
  if (suggestion.kind === 'emoji') return `:${suggestion.entry.shortcode}`;
  return suggestion.candidate.userId;
}

export function ComposerForm({
  onSend,
  disabled = false,
  placeholder,
  onDraftChange,
  onBlur,
  mentions,
  uploads,
}: Omit<MessageComposerProps, 'roomId'> & { mentions: MentionOptions }) {
  const [value, setValue] = useState('');
  const [caret, setCaret] = useState(0);
  const [focused, setFocused] = useState(false);
  /** The `@` whose suggestions were dismissed with Escape: closed until another is typed. */
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [highlight, setHighlight] = useState({ token: '', index: 0 });
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  /** Where the caret goes once an inserted mention is rendered. */
  const pendingCaret = useRef<number | null>(null);
  const counterId = useId();
  const inputId = useId();
  const listboxId = useId();

  const length = messageLength(value);
  const remaining = MESSAGE_MAX_LENGTH - length;
  const tooLong = remaining < 0;
  // Files alone make a message; files still uploading (or failed) hold it back.
  const hasFiles = uploads?.ready ?? false;
  const canSend =
    !disabled && (length > 0 || hasFiles) && !tooLong && !(uploads?.blocking ?? false);

  const mentionToken = focused && !disabled ? mentionTokenAt(value, caret) : null;
  const emojiToken = focused && !disabled && !mentionToken ? shortcodeTokenAt(value, caret) : null;
  const token = mentionToken ?? emojiToken;
  const shortcodes = useShortcodes(emojiToken !== null);
  let suggestions: Suggestion[] = [];
  if (token && token.start !== dismissedAt) {
    suggestions = mentionToken
      ? mentionSuggestions(mentions, mentionToken.query)
      : searchShortcodes(shortcodes ?? [], token.query, MENTION_SUGGESTIONS_MAX).map(
          (entry): Suggestion => ({ kind: 'emoji', entry }),
        );
  }
  const room = useMessageRoom();
  const replyingTo = room?.replyingTo ?? null;
  const [picking, setPicking] = useState(false);
  const open = suggestions.length > 0;
  const tokenKey = token ? `${token.start}:${token.query}` : '';
  // A new query starts at the top of the list.
  const active = open && highlight.token === tokenKey ? highlight.index % suggestions.length : 0;
  const optionId = (index: number) => `${listboxId}-option-${index}`;

  // Grow with the text up to the CSS max-height, then scroll inside.
  useLayoutEffect(() => {
    const textarea = textareaRef.current;
    if (!textarea) return;
    textarea.style.height = 'auto';
    textarea.style.height = `${textarea.scrollHeight}px`;
    if (pendingCaret.current !== null) {
      textarea.setSelectionRange(pendingCaret.current, pendingCaret.current);
      pendingCaret.current = null;
    }
  }, [value]);

  const edit = (next: string, nextCaret: number) => {
    // Escape holds for the `@` it was pressed at; a new one opens the list again.
    const typed = mentionTokenAt(next, nextCaret) ?? shortcodeTokenAt(next, nextCaret);
    if (typed?.start !== dismissedAt) setDismissedAt(null);
    setValue(next);
    setCaret(nextCaret);
    onDraftChange?.(next);
  };

  const choose = (suggestion: Suggestion) => {
    if (!token) return;
    const result =
      suggestion.kind === 'emoji'
        ? insertEmoji(value, token, caret, suggestion.entry.emoji)
        : insertMention(
            value,
            token,
            caret,
            suggestion.kind === 'room' ? ROOM_MENTION : suggestion.candidate.username,
          );
    pendingCaret.current = result.caret;
    edit(result.text, result.caret);
    textareaRef.current?.focus();
  };

  const submit = () => {
    if (!canSend) return;
    if (replyingTo) onSend(value.trim(), { replyTo: replyingTo.id });
    else onSend(value.trim());
    room?.setReplyingTo(null);
    setValue('');
    setCaret(0);
    setDismissedAt(null);
    textareaRef.current?.focus();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    submit();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // An IME composition uses Enter (and arrows) to pick a candidate: never ours to take.
    if (event.nativeEvent.isComposing) return;
    if (open && token) {
      const move = (by: number) => {
        event.preventDefault();
        const count = suggestions.length;
        setHighlight({ token: tokenKey, index: (active + by + count) % count });
      };
      switch (event.key) {
        case 'ArrowDown':
          move(1);
          return;
        case 'ArrowUp':
          move(-1);
          return;
        case 'Enter':
        case 'Tab':
          if (event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) break;
          event.preventDefault();
          choose(suggestions[active]);
          return;
        case 'Escape':
          event.preventDefault();
          // Closes the list only, not whatever surrounds the composer (the mobile menu).
          event.stopPropagation();
          setDismissedAt(token.start);
          return;
      }
    }
    if (event.key === 'Escape' && replyingTo) {
      event.preventDefault();
      event.stopPropagation();
      room?.setReplyingTo(null);
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      submit();
    }
  };

  /** Puts a picked emoji at the caret (or over the selection). */
  const insertPicked = (emoji: string) => {
    const textarea = textareaRef.current;
    const from = textarea?.selectionStart ?? value.length;
    const to = textarea?.selectionEnd ?? value.length;
    pendingCaret.current = from + emoji.length;
    edit(value.slice(0, from) + emoji + value.slice(to), from + emoji.length);
    textarea?.focus();
  };

  // The caret moves without an edit too (arrows, clicks); the suggestions follow it.
  const onSelect = (event: SyntheticEvent<HTMLTextAreaElement>) =>
    setCaret(event.currentTarget.selectionStart);

  return (
    <form className="composer" onSubmit={onSubmit}>
      {replyingTo && (
        <ComposerReplyPreview replyTo={replyingTo} onCancel={() => room?.setReplyingTo(null)} />
      )}
      <label htmlFor={inputId} className="visually-hidden">
        Message
      </label>
      {/*
        A multi-line text box keeps its textbox role (a combobox is single-line); the list is
        tied to it through aria-controls and aria-activedescendant, as in an ARIA combobox.
      */}
      <textarea
        id={inputId}
        ref={textareaRef}
        className="composer__input"
        rows={1}
        value={value}
        placeholder={placeholder ?? 'Write a message…'}
        aria-describedby={remaining <= WARN_REMAINING ? counterId : undefined}
        aria-invalid={tooLong || undefined}
        aria-autocomplete="list"
        aria-controls={open ? listboxId : undefined}
        aria-activedescendant={open ? optionId(active) : undefined}
        disabled={disabled}
        onChange={(event) => edit(event.target.value, event.target.selectionStart)}
        onSelect={onSelect}
        onKeyDown={onKeyDown}
        onPaste={(event) => {
          const files = uploads && !disabled ? filesOf(event.clipboardData) : [];
          if (files.length === 0) return;
          // A pasted image is attached, not inserted as its file name or nothing at all.
          event.preventDefault();
          uploads?.add(files);
        }}
        onFocus={() => setFocused(true)}
        onBlur={() => {
          setFocused(false);
          onBlur?.();
        }}
      />
      {uploads && <AttachButton onFiles={uploads.add} disabled={disabled} />}
      <button
        type="button"
        className="button button--ghost composer__emoji"
        aria-label="Insert emoji"
        title="Insert emoji"
        aria-expanded={picking}
        disabled={disabled}
        onClick={() => setPicking((value) => !value)}
      >
        <span aria-hidden="true">☺</span>
      </button>
      {picking && (
        <EmojiPickerPopover
          label="Insert emoji"
          onPick={insertPicked}
          onClose={() => setPicking(false)}
        />
      )}
      <button type="submit" className="button button--primary composer__send" disabled={!canSend}>
        Send
      </button>
      {uploads && (
        <UploadTray
          items={uploads.items}
          onCancel={uploads.cancel}
          onRetry={uploads.retry}
          notice={uploads.notice}
        />
      )}
      {open && (
        <ul
          id={listboxId}
          role="listbox"
          aria-label={emojiToken ? 'Emoji suggestions' : 'Mention suggestions'}
          className="mentions"
        >
          {suggestions.map((suggestion, index) => (
            <li
              key={suggestionKey(suggestion)}
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              className="mentions__option"
              // Keeps the focus (and the caret) in the text box.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(suggestion)}
            >
              {suggestion.kind === 'emoji' ? (
                <>
                  <span className="mentions__emoji" aria-hidden="true">
                    {suggestion.entry.emoji}
                  </span>
                  <span className="mentions__name">:{suggestion.entry.shortcode}:</span>
                  <span className="mentions__detail">{suggestion.entry.label}</span>
                </>
              ) : suggestion.kind === 'room' ? (
                <>
                  <span className="mentions__name">@room</span>
                  <span className="mentions__detail">Notify everyone in this room</span>
                </>
              ) : (
                <>
                  <PresenceDot
                    userId={suggestion.candidate.userId}
                    name={suggestion.candidate.displayName}
                    presence={suggestion.candidate.presence}
                  />
                  <span className="mentions__name">{suggestion.candidate.displayName}</span>
                  <span className="mentions__detail">@{suggestion.candidate.username}</span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <p className="visually-hidden" role="status">
        {open
          ? `${suggestions.length} ${suggestions.length === 1 ? 'suggestion' : 'suggestions'}, ` +
            'up and down to choose, Enter or Tab to insert'
          : ''}
      </p>
      {remaining <= WARN_REMAINING && (
        <p
          id={counterId}
          className={`composer__counter${tooLong ? ' composer__counter--over' : ''}`}
        >
          {tooLong
            ? `${-remaining} characters over the ${MESSAGE_MAX_LENGTH} limit`
            : `${remaining} characters left`}
        </p>
      )}
    </form>
  );
}
