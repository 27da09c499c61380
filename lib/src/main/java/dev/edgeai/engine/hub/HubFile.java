package dev.edgeai.engine.hub;

/**
 * One file of a Hugging Face repository as the tree API lists it.
 *
 * @param path   path inside the repository, e.g. "onnx/model_q4.onnx"
 * @param size   bytes
 * @param sha256 the LFS object id (sha256 of the content) for LFS files, else null
 * @param gitOid the git blob id (sha1 of "blob SIZE\0" + content) for small files kept in git, else null
 */
public record HubFile(String path, long size, String sha256, String gitOid) {}
