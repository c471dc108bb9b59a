package io.fulcrum.mtl.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named float arrays in one file: magic, count, then per array its name, length and big-endian floats.
 * Bit-exact both ways; a file that ends early or goes on after the last array is rejected.
 */
final class ArrayFile {

    private static final int MAGIC = 0x46554c41; // "FULA"
    private static final int VERSION = 1;

    private ArrayFile() {}

    static void write(Path file, Map<String, float[]> arrays) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(arrays.size());
            for (Map.Entry<String, float[]> e : arrays.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                ByteBuffer bytes = ByteBuffer.allocate(e.getValue().length * Float.BYTES);
                bytes.asFloatBuffer().put(e.getValue());
                out.write(bytes.array());
            }
        }
    }

    static Map<String, float[]> read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException(file.getFileName() + " is not a version " + VERSION + " array file");
            }
            int count = in.readInt();
            Map<String, float[]> arrays = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int length = in.readInt();
                if (length < 0) {
                    throw new IOException(file.getFileName() + ": array " + name + " has length " + length);
                }
                byte[] bytes = new byte[length * Float.BYTES];
                in.readFully(bytes);
                float[] values = new float[length];
                ByteBuffer.wrap(bytes).asFloatBuffer().get(values);
                arrays.put(name, values);
            }
            if (in.read() != -1) {
                throw new IOException(file.getFileName() + " goes on after its last array");
            }
            return arrays;
        } catch (EOFException e) {
            throw new IOException(file.getFileName() + " ends early", e);
        }
    }
}
