package org.seamcast.cli;

import picocli.CommandLine;

import java.net.InetSocketAddress;

/**
 * Reads {@code host:port}, {@code [v6]:port} or {@code :port} (all interfaces) from the command line.
 */
final class SocketAddressConverter implements CommandLine.ITypeConverter<InetSocketAddress>
{
    @Override
    public InetSocketAddress convert(final String value)
    {
        final int colon = value.lastIndexOf(':');
        if (colon < 0 || colon == value.length() - 1)
        {
            throw new CommandLine.TypeConversionException("'" + value + "' is not host:port");
        }
        final String host = colon == 0 ? "0.0.0.0" : value.substring(0, colon).replace("[", "").replace("]", "");
        final int port;
        try
        {
            port = Integer.parseInt(value.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new CommandLine.TypeConversionException("'" + value + "' has no numeric port");
        }
        if (port < 0 || port > 65535)
        {
            throw new CommandLine.TypeConversionException("'" + value + "' port=" + port + " is not in 0..65535");
        }
        return new InetSocketAddress(host, port);
    }
}
