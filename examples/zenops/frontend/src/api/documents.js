// Documents use fetch directly: uploads stream, and the team wanted no interceptors here.
const API = import.meta.env.VITE_API_URL;

export async function listDocuments() {
  const res = await fetch(`${API}/api/documents`);
  return res.json();
}

export function uploadDocument(doc) {
  return fetch(`${API}/api/documents/`, { method: 'POST', body: JSON.stringify(doc) });
}

export function deleteDocument(id) {
  return fetch(`${API}/api/documents/${id}`, { method: 'DELETE' });
}

export function downloadFile(name) {
  return fetch(`${API}/api/documents/files/${name}.pdf`);
}

export function addComment(documentId, body) {
  return window.fetch(new URL(`/api/documents/${documentId}/comments`, API), { method: 'POST', body });
}

export function editComment(documentId, commentId, body) {
  return fetch(`${API}/api/documents/${documentId}/comments/${commentId}`, { method: 'PATCH', body });
}
