// Starts the npm Firestore emulator on the port given; found through NODE_PATH (see stack.py).
const { FirestoreServer } = require("@firestore-emulator/server");

const port = Number(process.argv[2]);
const server = new FirestoreServer();
server.start(port).then(() => console.log(`firestore emulator listening on ${port}`));
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => process.exit(0));
}
