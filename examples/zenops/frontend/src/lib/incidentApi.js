// The app's own in-memory store: its get() is not an HTTP call.
const incidents = new Map();

export const IncidentApi = {
  get(id) {
    return incidents.get(id) ?? null;
  },
  delete(id) {
    return incidents.delete(id);
  },
};
