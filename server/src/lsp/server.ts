import { IPCMessageReader, ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './destinationServer';
import { IpcBacklogWriter, NO_BACKLOG, streamBacklog } from './outputBacklog';

// The transport (--stdio, --node-ipc, --socket=N) comes from the command line, as the library
// reads it; over node IPC (how VS Code starts it) the writer also tells what is still unsent.
const transport = process.argv.slice(2).find((arg) => arg === '--node-ipc' || arg === '--stdio');
if (transport === '--node-ipc') {
  const writer = new IpcBacklogWriter(process);
  const connection = createConnection(ProposedFeatures.all, new IPCMessageReader(process), writer);
  startServer(connection, { backlog: writer.backlog });
} else {
  startServer(createConnection(ProposedFeatures.all), {
    backlog: transport === '--stdio' ? streamBacklog(process.stdout) : NO_BACKLOG,
  });
}
