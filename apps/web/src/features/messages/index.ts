export { ChatPane } from './components/chat-pane';
export { LocalMessagesProvider } from './hooks/local-messages-context';
export { MessageDeliveryProvider } from './hooks/message-delivery-context';
export { TypingProvider } from './hooks/typing-context';
export { useChatEvents } from './hooks/use-chat-events';
export { messagesQueryKey } from './api/get-messages';
export { createBrowserMessageDelivery, type MessageDelivery } from './lib/message-delivery';
