// Preloaded (NODE_OPTIONS=--require) into the acquisition process by bench:acquisition: answers the bench's
// { type: 'bench-memory' } IPC message with process.memoryUsage(), so the RSS can be split into V8 heap, external,
// array buffers and native memory. The acquisition entry ignores message types it does not know.
process.on('message', (m) => {
  if (m && m.type === 'bench-memory' && process.send && process.connected) process.send({ type: 'bench-memory', usage: process.memoryUsage() });
});
