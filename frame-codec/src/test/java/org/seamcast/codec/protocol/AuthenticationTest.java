package org.seamcast.codec.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AuthenticationTest
{
    private static final MountName MOUNT = MountName.of("/live");
    private static final byte[] KEY_1 = TestMessages.key(1);
    private static final byte[] KEY_2 = TestMessages.key(2);

    private final UnsafeBuffer buffer = TestMessages.newBuffer();

    private int frame(final MessageAuthenticator signer)
    {
        return new FrameEncoder().wrap(buffer, 0, MOUNT).encoderId(1).priority(0).epoch(1).sequence(1).timestampUs(1)
            .codec(CodecType.ADTS).sampleRate(48_000).samplesInFrame(1024).payload(new byte[40], 0, 40)
            .finish(signer);
    }

    private static MessageDecoder decoderFor(final Keyring keyring)
    {
        return new MessageDecoder(keyring.newAuthenticator());
    }

    @Test
    void shouldAcceptAndVerifyAMessageSignedWithAHeldKey()
    {
        final Keyring keyring = Keyring.of(1, KEY_1);
        final int length = frame(keyring.newAuthenticator());
        final MessageDecoder decoder = decoderFor(keyring);

        assertThat(decoder.decode(buffer, 0, length)).isEqualTo(DecodeResult.OK);
        assertThat(decoder.isMacVerified()).isTrue();
        assertThat(decoder.frame().isSigned()).isTrue();
    }

    @Test
    void shouldRejectAMessageSignedWithTheWrongKeyUnderTheSameId()
    {
        final int length = frame(Keyring.of(1, KEY_2).newAuthenticator());

        assertThat(decoderFor(Keyring.of(1, KEY_1)).decode(buffer, 0, length)).isEqualTo(DecodeResult.MAC_MISMATCH);
    }

    @Test
    void shouldRejectAMessageSignedWithAnUnknownKeyId()
    {
        final int length = frame(Keyring.of(7, KEY_1).newAuthenticator());

        assertThat(decoderFor(Keyring.of(1, KEY_1)).decode(buffer, 0, length)).isEqualTo(DecodeResult.UNKNOWN_KEY_ID);
    }

    @Test
    void shouldRejectAnUnsignedMessageWhenTheKeyringRequiresAMac()
    {
        final int length = frame(null);

        assertThat(decoderFor(Keyring.of(1, KEY_1)).decode(buffer, 0, length)).isEqualTo(DecodeResult.MAC_MISSING);
        final MessageDecoder lenient = decoderFor(Keyring.of(1, KEY_1).withMacRequired(false));
        assertThat(lenient.decode(buffer, 0, length)).isEqualTo(DecodeResult.OK);
        assertThat(lenient.isMacVerified()).isFalse();
    }

    @Test
    void shouldAcceptBothKeyIdsWhileKeysAreRotated()
    {
        final Keyring old = Keyring.of(1, KEY_1);
        final Keyring rotating = old.withKey(2, KEY_2);
        final Keyring rotated = rotating.withSigningKeyId(2);
        final MessageDecoder decoder = decoderFor(rotating);

        assertThat(decoder.decode(buffer, 0, frame(old.newAuthenticator()))).isEqualTo(DecodeResult.OK);
        assertThat(decoder.decode(buffer, 0, frame(rotated.newAuthenticator()))).isEqualTo(DecodeResult.OK);
        assertThat(decoderFor(Keyring.of(2, KEY_2)).decode(buffer, 0, frame(old.newAuthenticator())))
            .as("after the old key is retired").isEqualTo(DecodeResult.UNKNOWN_KEY_ID);
    }

    @Test
    void shouldRejectAForgedPayloadEvenWhenTheForgerFixesTheCrc()
    {
        final Keyring keyring = Keyring.of(1, KEY_1);
        final int length = frame(keyring.newAuthenticator());
        final int payloadOffset = WireLayout.FRAME_MOUNT + 1 + MOUNT.length() + 2;
        buffer.putByte(payloadOffset, (byte)0x55);
        TestMessages.reseal(buffer, 0, length);

        assertThat(decoderFor(keyring).decode(buffer, 0, length)).isEqualTo(DecodeResult.MAC_MISMATCH);
    }

    @Test
    void shouldRejectAnUnsignedCopyOfASignedMessageWhenTheKeyringRequiresAMac()
    {
        final Keyring keyring = Keyring.of(1, KEY_1);
        final int signedLength = frame(keyring.newAuthenticator());
        final int length = signedLength - Protocol.MAC_TRAILER_LENGTH;
        buffer.putShort(Protocol.FLAGS_OFFSET, (short)0);
        buffer.putShort(Protocol.LENGTH_FIELD_OFFSET, (short)length);
        TestMessages.reseal(buffer, 0, length);

        assertThat(decoderFor(keyring).decode(buffer, 0, length)).isEqualTo(DecodeResult.MAC_MISSING);
    }

    @Test
    void shouldRefuseKeysShorterThan128BitsAndUnknownSigningIds()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> Keyring.of(1, new byte[15]))
            .withMessage("key length=15 < MIN_KEY_LENGTH=16");
        assertThatIllegalArgumentException().isThrownBy(() -> Keyring.of(1, KEY_1).withSigningKeyId(2))
            .withMessage("signingKeyId=2 is not in the keyring");
        assertThatIllegalArgumentException().isThrownBy(() -> Keyring.of(256, KEY_1))
            .withMessage("keyId=256 outside 0..255");
        assertThat(Keyring.of(1, KEY_1).toString()).doesNotContain(String.valueOf(KEY_1[0]) + ",");
    }

    private static final byte[] INGEST_KEY = TestMessages.key(11);
    private static final byte[] NEW_INGEST_KEY = TestMessages.key(13);
    private static final byte[] EDGE_KEY = TestMessages.key(12);
    private static final Keyring RELAY_KEYS =
        Keyring.of(1, INGEST_KEY, KeyRole.INGEST).withKey(2, EDGE_KEY, KeyRole.EDGE);
    private static final Keyring INGEST_KEYS = Keyring.of(1, INGEST_KEY, KeyRole.INGEST);
    private static final Keyring EDGE_KEYS = Keyring.of(2, EDGE_KEY, KeyRole.EDGE);

    private int subscribe(final MessageAuthenticator signer)
    {
        return new SubscribeEncoder().wrap(buffer, 0).addMount(MOUNT).finish(signer);
    }

    private int heartbeat(final MessageAuthenticator signer, final boolean withStream)
    {
        final HeartbeatEncoder encoder = new HeartbeatEncoder().wrap(buffer, 0, NodeName.of("node-1"))
            .senderTimeUs(1).heartbeatSequence(1);
        if (withStream)
        {
            encoder.addStream(MOUNT, 1, 1, 1);
        }
        return encoder.finish(signer);
    }

    @Test
    void shouldRefuseAudioSignedWithAnEdgesKeyButAcceptItsSubscription()
    {
        final MessageDecoder relay = decoderFor(RELAY_KEYS);
        final MessageAuthenticator edge = EDGE_KEYS.newAuthenticator();

        assertThat(relay.decode(buffer, 0, frame(edge))).isEqualTo(DecodeResult.KEY_NOT_PERMITTED);
        assertThat(relay.decode(buffer, 0, heartbeat(edge, true))).as("stream entries speak for streams")
            .isEqualTo(DecodeResult.KEY_NOT_PERMITTED);
        assertThat(relay.decode(buffer, 0, heartbeat(edge, false))).isEqualTo(DecodeResult.OK);
        assertThat(relay.decode(buffer, 0, subscribe(edge))).isEqualTo(DecodeResult.OK);
        assertThat(relay.isMacVerified()).isTrue();
        assertThat(relay.decode(buffer, 0, frame(INGEST_KEYS.newAuthenticator()))).isEqualTo(DecodeResult.OK);
        assertThat(relay.isMacVerified()).isTrue();
    }

    @Test
    void shouldSignEachMessageWithTheLeastPrivilegedKeyWhoseRolePermitsIt()
    {
        final MessageAuthenticator ingestWithEdgeKey = Keyring.of(1, INGEST_KEY, KeyRole.INGEST)
            .withKey(2, EDGE_KEY, KeyRole.EDGE).newAuthenticator();
        final MessageDecoder decoder = decoderFor(RELAY_KEYS);

        assertThat(decoder.decode(buffer, 0, frame(ingestWithEdgeKey))).isEqualTo(DecodeResult.OK);
        assertThat(decoder.frame().macKeyId()).isEqualTo(1);
        assertThat(decoder.decode(buffer, 0, heartbeat(ingestWithEdgeKey, true))).isEqualTo(DecodeResult.OK);
        assertThat(decoder.heartbeat().macKeyId()).isEqualTo(1);
        assertThat(decoder.decode(buffer, 0, heartbeat(ingestWithEdgeKey, false))).isEqualTo(DecodeResult.OK);
        assertThat(decoder.heartbeat().macKeyId()).isEqualTo(2);
        assertThat(decoder.decode(buffer, 0, subscribe(ingestWithEdgeKey))).isEqualTo(DecodeResult.OK);
        assertThat(decoder.subscribe().macKeyId()).isEqualTo(2);
        assertThat(decoder.decode(buffer, 0, frame(null))).isEqualTo(DecodeResult.MAC_MISSING);
    }

    @Test
    void shouldVerifyOldAndNewKeysOfARoleWhileTheyAreRotated()
    {
        final Keyring rotating = RELAY_KEYS.withKey(3, NEW_INGEST_KEY, KeyRole.INGEST);
        final Keyring newFirst = Keyring.of(3, NEW_INGEST_KEY, KeyRole.INGEST).withKey(1, INGEST_KEY, KeyRole.INGEST);
        final MessageDecoder decoder = decoderFor(rotating);

        assertThat(decoder.decode(buffer, 0, frame(INGEST_KEYS.newAuthenticator()))).isEqualTo(DecodeResult.OK);
        assertThat(decoder.decode(buffer, 0, frame(newFirst.newAuthenticator()))).isEqualTo(DecodeResult.OK);
        assertThat(decoder.frame().macKeyId()).isEqualTo(3);
        assertThat(rotating.signingKeyId(MessageType.FRAME, false)).as("old still first").isEqualTo(1);
        assertThat(rotating.withSigningKeyId(3).signingKeyId(MessageType.FRAME, false)).isEqualTo(3);
        assertThat(decoderFor(Keyring.of(3, NEW_INGEST_KEY, KeyRole.INGEST).withKey(2, EDGE_KEY, KeyRole.EDGE))
            .decode(buffer, 0, frame(INGEST_KEYS.newAuthenticator())))
            .as("after the old key is retired").isEqualTo(DecodeResult.UNKNOWN_KEY_ID);
    }

    @Test
    void shouldAcceptAudioFromAKeyItDoesNotHoldOnlyWhenToldAndNeverAnythingElse()
    {
        final MessageDecoder edge = decoderFor(EDGE_KEYS);
        final MessageAuthenticator ingest = INGEST_KEYS.newAuthenticator();
        assertThat(EDGE_KEYS.verifiesAudio()).isFalse();
        assertThat(RELAY_KEYS.verifiesAudio()).isTrue();

        assertThat(edge.decode(buffer, 0, frame(ingest))).isEqualTo(DecodeResult.UNKNOWN_KEY_ID);
        edge.acceptUnverifiedAudio(true);
        assertThat(edge.decode(buffer, 0, frame(ingest))).isEqualTo(DecodeResult.OK);
        assertThat(edge.isMacVerified()).isFalse();
        assertThat(edge.decode(buffer, 0, heartbeat(ingest, true))).isEqualTo(DecodeResult.OK);
        assertThat(edge.decode(buffer, 0, subscribe(ingest))).isEqualTo(DecodeResult.UNKNOWN_KEY_ID);
        assertThat(edge.decode(buffer, 0, heartbeat(ingest, false))).isEqualTo(DecodeResult.UNKNOWN_KEY_ID);
        assertThat(edge.decode(buffer, 0, frame(EDGE_KEYS.newAuthenticator())))
            .as("its own key still may not sign audio").isEqualTo(DecodeResult.KEY_NOT_PERMITTED);
        assertThat(edge.decode(buffer, 0, frame(null))).isEqualTo(DecodeResult.MAC_MISSING);
    }

    @Test
    void shouldLetAnAcceptorProveItselfWithTheKeyItsConnectorUsed()
    {
        for (final Keyring connectorKeys : new Keyring[] {INGEST_KEYS, EDGE_KEYS})
        {
            final Connection connection = new Connection(connectorKeys, RELAY_KEYS);
            assertThat(connection.acceptor.sendsHelloFirst()).isFalse();
            assertThat(connection.connector.sendsHelloFirst()).isTrue();
            connection.exchangeHellos();
            assertThat(connection.authToAcceptor(connection.connector.encodeHelloAuth(connection.buffer, 0)))
                .isEqualTo(HandshakeResult.OK);
            assertThat(connection.authToConnector(connection.acceptor.encodeHelloAuth(connection.buffer, 0)))
                .as("%s verifies the relay", connectorKeys).isEqualTo(HandshakeResult.OK);
            assertThat(connection.connector.isComplete()).isTrue();
            assertThat(connection.acceptor.isComplete()).isTrue();
        }
    }

    /** Two ends of one connection, exchanging messages through real encode and decode. */
    private static final class Connection
    {
        final Handshake connector;
        final Handshake acceptor;
        final MessageDecoder connectorDecoder;
        final MessageDecoder acceptorDecoder;
        final UnsafeBuffer buffer = TestMessages.newBuffer();

        Connection(final Keyring connectorKeys, final Keyring acceptorKeys)
        {
            final MessageAuthenticator c = connectorKeys == null ? null : connectorKeys.newAuthenticator();
            final MessageAuthenticator a = acceptorKeys == null ? null : acceptorKeys.newAuthenticator();
            connector = new Handshake(HandshakeRole.CONNECTOR, NodeName.of("edge-1"), c, new SecureRandom());
            acceptor = new Handshake(HandshakeRole.ACCEPTOR, NodeName.of("relay-1"), a, new SecureRandom());
            connectorDecoder = new MessageDecoder(c);
            acceptorDecoder = new MessageDecoder(a);
        }

        HandshakeResult helloToAcceptor(final int length)
        {
            assertThat(acceptorDecoder.decode(buffer, 0, length)).isEqualTo(DecodeResult.OK);
            return acceptor.onHello(acceptorDecoder.hello());
        }

        HandshakeResult helloToConnector(final int length)
        {
            assertThat(connectorDecoder.decode(buffer, 0, length)).isEqualTo(DecodeResult.OK);
            return connector.onHello(connectorDecoder.hello());
        }

        HandshakeResult authToAcceptor(final int length)
        {
            assertThat(acceptorDecoder.decode(buffer, 0, length)).isEqualTo(DecodeResult.OK);
            return acceptor.onHelloAuth(acceptorDecoder.helloAuth());
        }

        HandshakeResult authToConnector(final int length)
        {
            assertThat(connectorDecoder.decode(buffer, 0, length)).isEqualTo(DecodeResult.OK);
            return connector.onHelloAuth(connectorDecoder.helloAuth());
        }

        void exchangeHellos()
        {
            assertThat(helloToAcceptor(connector.encodeHello(buffer, 0))).isEqualTo(HandshakeResult.OK);
            assertThat(helloToConnector(acceptor.encodeHello(buffer, 0))).isEqualTo(HandshakeResult.OK);
        }
    }

    @Test
    void shouldCompleteTheHandshakeWhenBothEndsHoldTheKey()
    {
        final Connection connection = new Connection(Keyring.of(1, KEY_1), Keyring.of(1, KEY_1));
        connection.exchangeHellos();
        assertThat(connection.acceptor.isComplete()).as("auth required, not yet proven").isFalse();

        assertThat(connection.authToAcceptor(connection.connector.encodeHelloAuth(connection.buffer, 0)))
            .isEqualTo(HandshakeResult.OK);
        assertThat(connection.authToConnector(connection.acceptor.encodeHelloAuth(connection.buffer, 0)))
            .isEqualTo(HandshakeResult.OK);

        assertThat(connection.acceptor.isComplete()).isTrue();
        assertThat(connection.connector.isComplete()).isTrue();
        assertThat(connection.acceptor.isPeerAuthenticated()).isTrue();
        assertThat(connection.acceptor.peerName()).isEqualTo(NodeName.of("edge-1"));
    }

    @Test
    void shouldCompleteAnUnauthenticatedHandshakeWhenNoKeysAreConfigured()
    {
        final Connection connection = new Connection(null, null);
        connection.exchangeHellos();

        assertThat(connection.acceptor.isComplete()).isTrue();
        assertThat(connection.connector.isComplete()).isTrue();
        assertThat(connection.acceptor.isPeerAuthenticated()).isFalse();
    }

    @Test
    void shouldRefuseAPeerWithADifferentKeyAtItsFirstSignedMessage()
    {
        final Connection connection = new Connection(Keyring.of(1, KEY_2), Keyring.of(1, KEY_1));
        final int hello = connection.connector.encodeHello(connection.buffer, 0);

        assertThat(connection.acceptorDecoder.decode(connection.buffer, 0, hello))
            .isEqualTo(DecodeResult.MAC_MISMATCH);
    }

    @Test
    void shouldRefuseAHandshakeProofMadeWithADifferentKey()
    {
        final Connection connection =
            new Connection(Keyring.of(1, KEY_2).withMacRequired(false), Keyring.of(1, KEY_1).withMacRequired(false));
        final int hello = stripMac(connection.buffer, connection.connector.encodeHello(connection.buffer, 0));
        assertThat(connection.helloToAcceptor(hello)).isEqualTo(HandshakeResult.OK);
        assertThat(connection.helloToConnector(stripMac(connection.buffer,
            connection.acceptor.encodeHello(connection.buffer, 0)))).isEqualTo(HandshakeResult.OK);
        final int auth = stripMac(connection.buffer, connection.connector.encodeHelloAuth(connection.buffer, 0));

        assertThat(connection.authToAcceptor(auth)).isEqualTo(HandshakeResult.PROOF_MISMATCH);
        assertThat(connection.acceptor.isPeerAuthenticated()).isFalse();
    }

    /** Turns a signed message into an unsigned one, as an attacker replaying it to a lenient node could. */
    private static int stripMac(final UnsafeBuffer buffer, final int signedLength)
    {
        final int length = signedLength - Protocol.MAC_TRAILER_LENGTH;
        buffer.putShort(Protocol.FLAGS_OFFSET,
            (short)(buffer.getShort(Protocol.FLAGS_OFFSET) & ~Protocol.FLAG_SIGNED));
        buffer.putShort(Protocol.LENGTH_FIELD_OFFSET, (short)length);
        TestMessages.reseal(buffer, 0, length);
        return length;
    }

    @Test
    void shouldLeaveAPeerWithoutKeysIncompleteWhenAuthIsRequired()
    {
        final Keyring keys = Keyring.of(1, KEY_1).withMacRequired(false);
        final Connection connection = new Connection(null, keys.withMacRequired(true));
        final int hello = connection.connector.encodeHello(connection.buffer, 0);
        assertThat(connection.acceptorDecoder.decode(connection.buffer, 0, hello))
            .as("unsigned HELLO to a node that requires MACs").isEqualTo(DecodeResult.MAC_MISSING);

        final Connection lenient = new Connection(null, keys);
        lenient.exchangeHellos();
        assertThat(lenient.acceptor.isPeerAuthenticated()).isFalse();
    }

    @Test
    void shouldRefuseAReplayedHandshakeOnANewConnection()
    {
        final Keyring keys = Keyring.of(1, KEY_1);
        final Connection recorded = new Connection(keys, keys);
        final int helloLength = recorded.connector.encodeHello(recorded.buffer, 0);
        final byte[] recordedHello = new byte[helloLength];
        recorded.buffer.getBytes(0, recordedHello);
        assertThat(recorded.helloToAcceptor(helloLength)).isEqualTo(HandshakeResult.OK);
        assertThat(recorded.helloToConnector(recorded.acceptor.encodeHello(recorded.buffer, 0)))
            .isEqualTo(HandshakeResult.OK);
        final int authLength = recorded.connector.encodeHelloAuth(recorded.buffer, 0);
        final byte[] recordedAuth = new byte[authLength];
        recorded.buffer.getBytes(0, recordedAuth);

        final Connection replayed = new Connection(keys, keys);
        replayed.buffer.putBytes(0, recordedHello);
        assertThat(replayed.helloToAcceptor(helloLength)).isEqualTo(HandshakeResult.OK);
        replayed.acceptor.encodeHello(replayed.buffer, 0);
        replayed.buffer.putBytes(0, recordedAuth);

        assertThat(replayed.authToAcceptor(authLength)).isEqualTo(HandshakeResult.PROOF_MISMATCH);
        assertThat(replayed.acceptor.isComplete()).isFalse();
    }

    @Test
    void shouldRefuseAHandshakeReflectedBackToItsMaker()
    {
        final Keyring keys = Keyring.of(1, KEY_1);
        final Connection connection = new Connection(keys, keys);

        final int ownHello = connection.acceptor.encodeHello(connection.buffer, 0);
        assertThat(connection.helloToAcceptor(ownHello)).isEqualTo(HandshakeResult.ROLE_MISMATCH);

        final Handshake twin = new Handshake(HandshakeRole.CONNECTOR, NodeName.of("relay-1"),
            keys.newAuthenticator(), new SecureRandom());
        assertThat(connection.helloToAcceptor(twin.encodeHello(connection.buffer, 0)))
            .isEqualTo(HandshakeResult.OWN_NAME);
    }

    @Test
    void shouldRefuseHelloAuthBeforeHello()
    {
        final Keyring keys = Keyring.of(1, KEY_1);
        final Connection first = new Connection(keys, keys);
        first.exchangeHellos();
        final int auth = first.connector.encodeHelloAuth(first.buffer, 0);

        final Connection second = new Connection(keys, keys);
        second.buffer.putBytes(0, first.buffer, 0, auth);
        assertThat(second.authToAcceptor(auth)).isEqualTo(HandshakeResult.OUT_OF_ORDER);
    }
}
