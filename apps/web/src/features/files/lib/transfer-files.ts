/** The files in a drop or a paste (not text, links or HTML that came along). */
export function filesOf(data: DataTransfer | null): File[] {
  if (!data) return [];
  if (data.files.length > 0) return [...data.files];
  // Some browsers list pasted images only as items.
  return [...data.items]
    .filter((item) => item.kind === 'file')
    .flatMap((item) => {
      const file = item.getAsFile();
      return file ? [file] : [];
    });
}

/** Whether a drag carries files (its contents are only readable on drop). */
export function carriesFiles(data: DataTransfer | null): boolean {
  return data !== null && [...data.types].includes('Files');
}
