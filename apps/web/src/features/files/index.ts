export { AttachButton } from './components/attach-button';
export { FileDropZone } from './components/file-drop-zone';
export { ImageViewer } from './components/image-viewer';
export { MessageAttachments } from './components/message-attachments';
export { UploadTray, refusedNotice } from './components/upload-tray';
export { useUploadQueue, type Uploads } from './hooks/use-upload-queue';
export { filesOf } from './lib/transfer-files';
export { formatSize } from './lib/format-size';
export type { UploadItem } from './lib/upload-queue';
