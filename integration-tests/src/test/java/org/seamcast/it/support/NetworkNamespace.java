package org.seamcast.it.support;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.fail;

/**
 * A network namespace of the test's own, joined to the host by a veth pair ({@code 10.231.N.1} on the host,
 * {@code 10.231.N.2} inside), so a node started inside it reaches the host's nodes over a link that nftables rules
 * inside the namespace can cut or make lossy without touching anything else. Needs root (CI runs as root): a test
 * that cannot make one fails with the reason, it never skips. Deleted, with its veth and rules, on close.
 */
public final class NetworkNamespace implements AutoCloseable
{
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TABLE = "seamcast";

    private final String name;
    private final String hostAddress;
    private final String address;
    private boolean closed;

    private NetworkNamespace(final String name, final String hostAddress, final String address)
    {
        this.name = name;
        this.hostAddress = hostAddress;
        this.address = address;
    }

    /**
     * Creates the namespace ({@code seamcast-PID-TAG-xxxx}), its veth pair and addresses, {@code lo} up, and an empty
     * nftables input chain inside it.
     */
    public static NetworkNamespace create(final String tag)
    {
        final int id = RANDOM.nextInt(1 << 16);
        final int subnet = freeSubnet();
        final String name = namePrefix() + tag + "-" + Integer.toHexString(id);
        final String hostSide = "sch" + Integer.toHexString(id);
        final String nsSide = "scn" + Integer.toHexString(id);
        final Command add = Command.run(List.of("ip", "netns", "add", name));
        if (add.exitCode() != 0)
        {
            fail("cannot create network namespace " + name + " (running as "
                + ProcessHandle.current().info().user().orElse("?") + "; it needs root or CAP_SYS_ADMIN, as CI has): "
                + add.stderr().trim());
        }
        final NetworkNamespace namespace =
            new NetworkNamespace(name, "10.231." + subnet + ".1", "10.231." + subnet + ".2");
        try
        {
            run("ip", "link", "add", hostSide, "type", "veth", "peer", "name", nsSide);
            run("ip", "link", "set", nsSide, "netns", name);
            run("ip", "addr", "add", namespace.hostAddress + "/24", "dev", hostSide);
            run("ip", "link", "set", hostSide, "up");
            run("ip", "-n", name, "addr", "add", namespace.address + "/24", "dev", nsSide);
            run("ip", "-n", name, "link", "set", nsSide, "up");
            run("ip", "-n", name, "link", "set", "lo", "up");
            namespace.nft("add table inet " + TABLE);
            namespace.nft("add chain inet " + TABLE + " input { type filter hook input priority 0 ; }");
            return namespace;
        }
        catch (final RuntimeException | AssertionError ex)
        {
            namespace.close();
            throw ex;
        }
    }

    /**
     * @return a third byte for {@code 10.231.N.0/24} that no host interface uses yet, so several namespaces of one
     * test never share a subnet.
     */
    private static int freeSubnet()
    {
        final String used = Command.run(List.of("ip", "-4", "-o", "addr", "show")).stdout();
        for (int attempt = 0; attempt < 1_000; attempt++)
        {
            final int subnet = 1 + RANDOM.nextInt(250);
            if (!used.contains(" 10.231." + subnet + "."))
            {
                return subnet;
            }
        }
        throw new IllegalStateException("no free 10.231.N.0/24 subnet on this host");
    }

    /**
     * @return how the names of this JVM's namespaces begin, {@code seamcast-PID-}: a check for leftovers touches
     * only those, never another test run's.
     */
    public static String namePrefix()
    {
        return "seamcast-" + ProcessHandle.current().pid() + "-";
    }

    public String name()
    {
        return name;
    }

    /** @return the host's end of the veth: what a node inside the namespace dials to reach the host's nodes. */
    public String hostAddress()
    {
        return hostAddress;
    }

    /** @return the namespace's end of the veth: what the host dials to reach a node inside. */
    public String address()
    {
        return address;
    }

    /**
     * @return {@code command} prefixed so that it runs inside the namespace.
     */
    public List<String> wrap(final List<String> command)
    {
        final List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", name));
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * Drops every packet arriving in the namespace from the host's TCP or UDP port {@code sourcePort}: the link
     * from that node is cut, in one direction, without a reset.
     */
    public void cutFrom(final int sourcePort)
    {
        nft("add rule inet " + TABLE + " input ip saddr " + hostAddress + " tcp sport " + sourcePort + " drop");
        nft("add rule inet " + TABLE + " input ip saddr " + hostAddress + " udp sport " + sourcePort + " drop");
    }

    /**
     * Drops {@code percent} of the UDP datagrams arriving in the namespace on {@code port}, at random.
     */
    public void loseUdpTo(final int port, final int percent)
    {
        nft("add rule inet " + TABLE + " input udp dport " + port + " numgen random mod 100 < " + percent
            + " counter drop");
    }

    /**
     * @return packets the rules counting them ({@link #loseUdpTo}) have dropped so far.
     */
    public long droppedPackets()
    {
        final Command list = Command.run(List.of("ip", "netns", "exec", name, "nft", "list", "chain", "inet", TABLE,
            "input"));
        long packets = 0;
        final java.util.regex.Matcher counter = java.util.regex.Pattern.compile("counter packets (\\d+)")
            .matcher(list.stdout());
        while (counter.find())
        {
            packets += Long.parseLong(counter.group(1));
        }
        return packets;
    }

    /** Removes every rule: the links are whole again. */
    public void heal()
    {
        nft("flush chain inet " + TABLE + " input");
    }

    private void nft(final String rule)
    {
        final List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", name, "nft"));
        command.addAll(List.of(rule.split(" ")));
        final Command result = Command.run(command);
        if (result.exitCode() != 0)
        {
            fail("nft " + rule + " in " + name + " exited " + result.exitCode() + ": " + result.stderr().trim());
        }
    }

    private static void run(final String... command)
    {
        final Command result = Command.run(List.of(command));
        if (result.exitCode() != 0)
        {
            fail(String.join(" ", command) + " exited " + result.exitCode() + ": " + result.stderr().trim());
        }
    }

    /**
     * Deletes the namespace, its veth pair and rules; idempotent.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            Command.run(List.of("ip", "netns", "delete", name));
        }
    }

    @Override
    public String toString()
    {
        return name + " (" + address + ", host " + hostAddress + ")";
    }
}
