package org.seamcast.cli;

import org.seamcast.transport.link.LinkAddress;
import picocli.CommandLine;

/**
 * Reads a link URL such as {@code tcp://relay1:9001} or {@code mcast://239.1.2.3:9004?interface=10.0.0.1}.
 */
final class LinkAddressConverter implements CommandLine.ITypeConverter<LinkAddress>
{
    @Override
    public LinkAddress convert(final String value)
    {
        try
        {
            return LinkAddress.parse(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.TypeConversionException(ex.getMessage());
        }
    }
}
