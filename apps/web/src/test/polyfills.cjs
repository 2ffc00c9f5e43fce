// jsdom lacks TextEncoder/TextDecoder, which React Router reads at import time; browsers have both.
const { TextDecoder, TextEncoder } = require('node:util');

if (typeof globalThis.TextEncoder === 'undefined') globalThis.TextEncoder = TextEncoder;
if (typeof globalThis.TextDecoder === 'undefined') globalThis.TextDecoder = TextDecoder;

// jsdom lacks structuredClone, which IndexedDB (fake-indexeddb in tests) uses to store values;
// browsers have it. v8's serializer is the same algorithm for the plain data stored here.
if (typeof globalThis.structuredClone === 'undefined') {
  const v8 = require('node:v8');
  globalThis.structuredClone = (value) => v8.deserialize(v8.serialize(value));
}
