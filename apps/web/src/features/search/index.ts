export { MessageSearch } from './components/message-search';
export { HighlightedText } from './components/highlighted-text';
export { useSearchJump } from './hooks/use-search-jump';
export { jumpLocationState, type JumpLocationState } from './lib/jump-state';
