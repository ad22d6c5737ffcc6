// Starts the npm Firestore emulator on the port given; found through NODE_PATH (see stack.py).
//
// The emulator keeps its state in immer: every document written copies (and deep-freezes) the map of
// its collection, so each commit costs time in proportion to the documents already stored — 3 s for
// a batch of 500 at 30,000 documents, hours for a 100,000-row import. Its recipes only edit the
// emulator's own state, which nothing else holds, so here they edit it in place.
const immerPath = require.resolve("immer");
const immer = require("immer");
require.cache[immerPath].exports = {
  ...immer,
  produce: (base, recipe) => {
    const result = recipe(base);
    return result === undefined ? base : result;
  },
};
const { FirestoreServer } = require("@firestore-emulator/server");

const port = Number(process.argv[2]);
const server = new FirestoreServer();
server.start(port).then(() => console.log(`firestore emulator listening on ${port}`));
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => process.exit(0));
}
