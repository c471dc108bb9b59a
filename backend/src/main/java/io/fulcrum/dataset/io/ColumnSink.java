package io.fulcrum.dataset.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends 4-byte little-endian values (float32 or int32) of one column to its cache file. */
final class ColumnSink implements Closeable {

    private static final int BUFFER_BYTES = 1 << 16;

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);

    ColumnSink(Path file) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    void putFloat(float value) throws IOException {
        ensureRoom();
        buffer.putFloat(value);
    }

    void putInt(int value) throws IOException {
        ensureRoom();
        buffer.putInt(value);
    }

    void putByte(byte value) throws IOException {
        if (!buffer.hasRemaining()) {
            flush();
        }
        buffer.put(value);
    }

    private void ensureRoom() throws IOException {
        if (buffer.remaining() < Integer.BYTES) {
            flush();
        }
    }

    private void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        try {
            flush();
            channel.force(false);
        } finally {
            channel.close();
        }
    }
}
