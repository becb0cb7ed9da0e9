/**
 * XML helpers shared by the front ends: a hardened StAX reader (no DTDs, no external entities)
 * and a small streaming writer.
 *
 * <p>Owns: XML safety settings. Must not import anything of the service.
 */
package dev.bayesnf.service.xml;
