package org.seamcast.codec.protocol;

import static org.seamcast.codec.protocol.WireLayout.*;

/**
 * View of a decoded HELLO_AUTH (layout on {@link Handshake}); check it with
 * {@link Handshake#onHelloAuth(HelloAuthView)}.
 */
public final class HelloAuthView extends MessageView
{
    HelloAuthView()
    {
    }

    public int keyId()
    {
        return buffer.getByte(offset + HELLO_AUTH_KEY_ID) & 0xFF;
    }

    /**
     * @return offset of the {@value Protocol#PROOF_LENGTH}-byte proof in {@link #buffer()}.
     */
    public int proofOffset()
    {
        return offset + HELLO_AUTH_PROOF;
    }
}
