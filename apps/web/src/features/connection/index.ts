export { ConnectionBanner } from './components/connection-banner';
